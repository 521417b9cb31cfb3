package dev.wagateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.time.VirtualTaskScheduler;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SubscriptionRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metric values after simulated scenarios (virtual time; the metrics listener is asynchronous). */
class WaGatewayMetricsTest {
  static final int DEFAULT_SEND_SLOS_COUNT = WaGatewayMetrics.DEFAULT_SEND_SLOS.size();
  SimHarness h;
  WaGatewayMetrics metrics;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  void start(int maxSessionTags) {
    start(maxSessionTags, PacingPolicy.off());
  }

  void start(int maxSessionTags, PacingPolicy pacing) {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    metrics = new WaGatewayMetrics(maxSessionTags, time.clock());
    h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.metricsTracker(metrics.tracker())
        .queue(QueueConfig.defaults().withPacing(pacing).withRetry(RetryPolicy.none()))
        .webhookDeliverer(r -> CompletableFuture.completedFuture(
            r.url().getHost().startsWith("ok") ? DeliveryResult.status(200, Duration.ofMillis(1), "", null)
                : DeliveryResult.status(404, Duration.ofMillis(1), "", null))));
    metrics.attach(h.gateway);
    metrics.bindTo(registry);
  }

  @AfterEach
  void close() {
    if (metrics != null) {
      metrics.close();
    }
    if (h != null) {
      h.close();
    }
  }

  double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    if (c != null) {
      return c.count();
    }
    var fc = registry.find(name).tags(tags).functionCounter();
    return fc == null ? -1 : fc.count();
  }

  double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    return g == null ? -1 : g.value();
  }

  @Test
  void mediaStoredOnArrivalAreTimedAndCountedByTypeAndDirection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    metrics = new WaGatewayMetrics(100, time.clock());
    dev.wagateway.media.FileSystemMediaStore store = new dev.wagateway.media.FileSystemMediaStore(dir, time.clock());
    h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.metricsTracker(metrics.tracker())
        .media(dev.wagateway.media.MediaConfig.of(store)));
    metrics.attach(h.gateway);
    metrics.bindTo(registry);
    h.pair("a", "+491701111111");
    h.pair("b", "+491702222222");
    byte[] ogg = new byte[10_000];
    System.arraycopy("OggS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, ogg, 0, 4);
    h.gateway.send(dev.wagateway.message.MessageRequest.builder().session("a").to("+491702222222")
        .content(new dev.wagateway.message.MessageContent.Audio(dev.wagateway.message.MediaSource.bytes(ogg,
            "audio/ogg"), true)).build());
    h.time.advance(Duration.ofSeconds(5));
    assertThat(count(WaMetricNames.MEDIA_BYTES, "type", "audio", "direction", "inbound")).isEqualTo(10_000);
    assertThat(registry.find(WaMetricNames.MEDIA_PROCESSING_DURATION).tags("type", "audio", "direction", "inbound")
        .timer().count()).isEqualTo(1);
    assertThat(count(WaMetricNames.MEDIA_FAILURES, "type", "audio", "direction", "inbound")).as("none failed")
        .isEqualTo(-1);
  }

  @Test
  void sendsReceiptsFailuresAndQueueDepthsAreCounted() {
    start(100);
    h.gateway.webhooks().create(SubscriptionRequest.builder("https://ok.example.com/x")
        .eventTypes(Set.of("message.status")).build());
    h.gateway.webhooks().create(SubscriptionRequest.builder("https://gone.example.com/x")
        .eventTypes(Set.of("message.received")).build());
    h.pair("a", "+49 170 1111111");
    h.pair("b", "+44 7700 900222");
    for (int i = 0; i < 10; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("m" + i).build());
    }
    h.time.advance(Duration.ofSeconds(10));
    h.network.faults("a").failSends(0, 1.0, new Random(1));
    for (int i = 0; i < 3; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+1415555000" + i).text("x").build());
    }
    h.time.advance(Duration.ofSeconds(1));
    h.network.faults("b").disconnect();
    h.time.advance(Duration.ofSeconds(5));
    h.gateway.sessions().stop("a");
    h.gateway.send(MessageRequest.builder().session("a").to("+4477009002" + 33).text("waits").build());

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(count(WaMetricNames.MESSAGES_SENT, "session", "a", "type", "text")).isEqualTo(10);
      assertThat(count(WaMetricNames.MESSAGES_DELIVERED, "session", "a")).isEqualTo(10);
      assertThat(count(WaMetricNames.MESSAGES_READ, "session", "a")).isEqualTo(10);
      assertThat(count(WaMetricNames.MESSAGES_RECEIVED, "session", "b", "type", "text")).isEqualTo(10);
      assertThat(count(WaMetricNames.MESSAGES_FAILED, "session", "a", "type", "text", "reason", "permanent")).isEqualTo(3);
      assertThat(count(WaMetricNames.RECONNECT, "session", "b", "reason", "connection_lost")).isEqualTo(1);
      assertThat(registry.find(WaMetricNames.QUEUE_PROCESSING_DURATION).timer().count()).isEqualTo(10);
      assertThat(registry.find(WaMetricNames.MESSAGE_SEND_DURATION).tags("session", "a").timer().count()).isEqualTo(10);
    });
    h.time.advance(Duration.ofSeconds(2)); // the gauges' snapshot is at most a second old
    assertThat(gauge(WaMetricNames.QUEUE_WAITING, "session", "a")).isEqualTo(1);
    assertThat(gauge(WaMetricNames.QUEUE_DLQ, "session", "a")).isEqualTo(3);
    assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "a")).isZero();
    assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "b")).isEqualTo(1);
    assertThat(gauge(WaMetricNames.SESSIONS, "state", "stopped")).isEqualTo(1);
    assertThat(gauge(WaMetricNames.SESSIONS, "state", "connected")).isEqualTo(1);
    assertThat(gauge(WaMetricNames.UPTIME)).isGreaterThanOrEqualTo(17);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      // 10 messages x 5 statuses + 3 x 4 (QUEUED, SENDING, FAILED, DEAD_LETTERED) + 1 QUEUED, all 2xx
      assertThat(count(WaMetricNames.WEBHOOK_DELIVERIES, "event", "message.status", "outcome", "success")).isEqualTo(63);
      assertThat(count(WaMetricNames.WEBHOOK_DELIVERIES, "event", "message.received", "outcome", "permanent")).isEqualTo(10);
    });
  }

  @Test
  void rateLimitHitsAreCountedBySessionAndLimit() {
    start(100, PacingPolicy.off().withRecipientGap(Duration.ofSeconds(6)));
    h.pair("a", "+49 170 1111111");
    for (int i = 0; i < 3; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("m" + i).build());
    }
    h.time.advance(Duration.ofSeconds(20));
    h.time.advance(Duration.ofSeconds(2));
    // per-session meters are registered by the binder's asynchronous event listener
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(count(WaMetricNames.RATE_LIMIT_HITS, "session", "a", "limit", "recipient_gap")).isEqualTo(2);
      assertThat(count(WaMetricNames.RATE_LIMIT_HITS, "session", "a", "limit", "session_rate")).isZero();
    });
  }

  @Test
  void sessionTagsAreBoundedAndNoNumberIsATag() {
    start(2);
    for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
      h.pair(s, "+4917000000" + s.charAt(1));
    }
    h.time.advance(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "s1")).isEqualTo(1);
      assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "other")).isEqualTo(2);
      assertThat(registry.find(WaMetricNames.CONNECTION_STATUS).gauges()).hasSize(3);
    });
    for (Meter m : registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        assertThat(t.getValue()).as(m.getId().toString()).doesNotMatch(".*\\d{7,}.*");
      }
    }
  }

  @Test
  void dispatchLagAndWebhookLatencyAreTimersWithSloBuckets() {
    start(100);
    h.gateway.webhooks().create(SubscriptionRequest.builder("https://ok.example.com/x")
        .eventTypes(Set.of("message.status")).build());
    h.gateway.webhooks().create(SubscriptionRequest.builder("https://gone.example.com/x")
        .eventTypes(Set.of("session.created")).build());
    h.pair("a", "+49 170 1111111");
    for (int i = 0; i < 4; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 90022" + i).text("m" + i).build());
    }
    h.time.advance(Duration.ofSeconds(10));
    var lag = registry.find(WaMetricNames.DISPATCH_LAG).timer();
    // sampled once per claimed batch, by its oldest message: one drain claimed all four
    assertThat(lag.count()).as("one record per claimed batch").isEqualTo(1);
    assertThat(lag.max(java.util.concurrent.TimeUnit.SECONDS)).isLessThan(1);
    var ok = registry.find(WaMetricNames.WEBHOOK_DELIVERY_DURATION).tags("outcome", "success").timer();
    var permanent = registry.find(WaMetricNames.WEBHOOK_DELIVERY_DURATION).tags("outcome", "permanent").timer();
    assertThat(ok.count()).as("4 messages x QUEUED, SENDING, SENT, DELIVERED, READ").isEqualTo(20);
    assertThat(permanent.count()).as("session.created to the 404 endpoint").isEqualTo(1);
    assertThat(ok.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(20);
    // the SLO buckets are where the alerts look: 500 ms and 1 s for the queue, 1 s for the lag
    var queue = registry.find(WaMetricNames.QUEUE_PROCESSING_DURATION).timer().takeSnapshot().histogramCounts();
    assertThat(java.util.Arrays.stream(queue).map(c -> c.bucket(java.util.concurrent.TimeUnit.SECONDS)))
        .contains(0.5, 1.0);
    var lagBuckets = lag.takeSnapshot().histogramCounts();
    assertThat(java.util.Arrays.stream(lagBuckets).map(c -> c.bucket(java.util.concurrent.TimeUnit.SECONDS)))
        .containsExactly(0.001, 0.01, 0.1, 0.5, 1.0, 5.0);
  }

  @Test
  void storageReportsBytesUsedAndTheVolume(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    metrics = WaGatewayMetrics.builder().clock(time.clock()).build();
    java.nio.file.Files.write(dir.resolve("wa.db"), new byte[3000]);
    java.nio.file.Files.createDirectories(dir.resolve("media/ab"));
    java.nio.file.Files.write(dir.resolve("media/ab/cd"), new byte[500]);
    metrics.storage("sqlite", dir.resolve("wa.db"));
    metrics.storage("media", dir.resolve("media"));
    metrics.storage("later", dir.resolve("not-yet-created"));
    metrics.bindTo(registry);
    assertThat(gauge(WaMetricNames.STORAGE_USED, "store", "sqlite")).isEqualTo(3000);
    assertThat(gauge(WaMetricNames.STORAGE_USED, "store", "media")).isEqualTo(500);
    assertThat(gauge(WaMetricNames.STORAGE_USED, "store", "later")).as("unreadable: a gap, not 0").isNaN();
    double size = gauge(WaMetricNames.STORAGE_VOLUME_SIZE, "store", "sqlite");
    double free = gauge(WaMetricNames.STORAGE_VOLUME_FREE, "store", "sqlite");
    assertThat(size).isPositive().isEqualTo((double) java.nio.file.Files.getFileStore(dir).getTotalSpace());
    assertThat(free).isPositive().isLessThanOrEqualTo(size);
    assertThat(gauge(WaMetricNames.STORAGE_VOLUME_SIZE, "store", "later")).as("its parent's volume").isEqualTo(size);
    // the directory walk is cached for a minute
    java.nio.file.Files.write(dir.resolve("media/ab/ef"), new byte[700]);
    assertThat(gauge(WaMetricNames.STORAGE_USED, "store", "media")).isEqualTo(500);
    time.advance(Duration.ofSeconds(61));
    assertThat(gauge(WaMetricNames.STORAGE_USED, "store", "media")).isEqualTo(1200);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.storage("My Store", dir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store must be");
  }

  @Test
  void builderSettingsAreValidated() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaGatewayMetrics.builder().maxSessionTags(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSessionTags");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaGatewayMetrics.builder()
            .sendSlos(Duration.ofSeconds(1), Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendSlos must be positive and ascending");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaGatewayMetrics.builder().queueSlos())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueSlos needs at least one bucket");
    WaGatewayMetrics custom = WaGatewayMetrics.builder().sendSlos(Duration.ofMillis(10), Duration.ofMillis(20))
        .percentileHistograms(true).build();
    custom.tracker(); // a no-op until bound
    var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    custom.bindTo(prometheus);
    custom.tracker().messageSent("s", "text", 15_000_000L, 15_000_000L);
    java.util.List<String> buckets = prometheus.scrape().lines()
        .filter(l -> l.startsWith("whatsapp_message_send_duration_seconds_bucket")).toList();
    assertThat(buckets).as("SLOs plus the percentile histogram").hasSizeGreaterThan(10)
        .anyMatch(l -> l.contains("le=\"0.01\"")).anyMatch(l -> l.contains("le=\"0.02\""));
    WaGatewayMetrics defaults = WaGatewayMetrics.builder().build();
    var plain = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    defaults.bindTo(plain);
    defaults.tracker().messageSent("s", "text", 15_000_000L, 15_000_000L);
    assertThat(plain.scrape().lines().filter(l -> l.startsWith("whatsapp_message_send_duration_seconds_bucket")))
        .as("by default only the SLO buckets and +Inf").hasSize(DEFAULT_SEND_SLOS_COUNT + 1);
  }

  @Test
  void reconnectReasonsAreBounded() {
    assertThat(WaGatewayMetrics.reason("connect_failed")).isEqualTo("connect_failed");
    assertThat(WaGatewayMetrics.reason("silent")).isEqualTo("silent");
    assertThat(WaGatewayMetrics.reason("Some Free Text: 491701234567 went away")).isEqualTo("other");
  }
}
