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
    assertThat(count(WaMetricNames.RATE_LIMIT_HITS, "session", "a", "limit", "recipient_gap")).isEqualTo(2);
    assertThat(count(WaMetricNames.RATE_LIMIT_HITS, "session", "a", "limit", "session_rate")).isZero();
  }

  @Test
  void sessionTagsAreBoundedAndNoNumberIsATag() {
    start(2);
    for (String s : new String[] {"s1", "s2", "s3", "s4"}) {
      h.pair(s, "+4917000000" + s.charAt(1));
    }
    h.time.advance(Duration.ofSeconds(2));
    assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "s1")).isEqualTo(1);
    assertThat(gauge(WaMetricNames.CONNECTION_STATUS, "session", "other")).isEqualTo(2);
    assertThat(registry.find(WaMetricNames.CONNECTION_STATUS).gauges()).hasSize(3);
    for (Meter m : registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        assertThat(t.getValue()).as(m.getId().toString()).doesNotMatch(".*\\d{7,}.*");
      }
    }
  }

  @Test
  void reconnectReasonsAreBounded() {
    assertThat(WaGatewayMetrics.reason("connect_failed")).isEqualTo("connect_failed");
    assertThat(WaGatewayMetrics.reason("silent")).isEqualTo("silent");
    assertThat(WaGatewayMetrics.reason("Some Free Text: 491701234567 went away")).isEqualTo("other");
  }
}
