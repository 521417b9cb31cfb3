package dev.wagateway.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.QueueFullException;
import dev.wagateway.SessionLimitExceededException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.Engine;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.metrics.WaGatewayMetrics;
import dev.wagateway.metrics.WaObservations;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookSubscription;
import dev.wagateway.webhooks.Hc5WebhookDeliverer;
import dev.wagateway.webhooks.HttpWebhookDeliverer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The autoconfiguration with ApplicationContextRunner: defaults, every property, user beans, absent classes. */
class WaAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
      WaGatewayAutoConfiguration.class, WaMetricsAutoConfiguration.class, WaHealthAutoConfiguration.class,
      WaJdbcAutoConfiguration.class));

  @Test
  void waMediaDirGivesTheGatewayAFilesystemMediaStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    runner.withPropertyValues("wa.media.dir=" + dir, "wa.media.retention=2d").run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(dev.wagateway.media.MediaStore.class);
      WaGateway gw = ctx.getBean(WaGateway.class);
      assertThat(gw.mediaStore()).containsSame(ctx.getBean(dev.wagateway.media.MediaStore.class));
    });
    runner.run(ctx -> assertThat(ctx.getBean(WaGateway.class).mediaStore()).as("off by default").isEmpty());
  }

  @Test
  void storeJdbcKeepsEverythingInTheApplicationsDataSource() throws Exception {
    java.nio.file.Path db = java.nio.file.Files.createTempDirectory("wa-boot").resolve("wa.db");
    com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
    ds.setJdbcUrl("jdbc:sqlite:" + db);
    ds.addDataSourceProperty("journal_mode", "WAL");
    ds.addDataSourceProperty("busy_timeout", "5000");
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    try (ds) {
      runner.withBean(javax.sql.DataSource.class, () -> ds)
          .withPropertyValues("wa.store=jdbc", "wa.encryption-key=" + key, "wa.queue.rate=0", "wa.sessions=sales")
          .run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(dev.wagateway.jdbc.JdbcStores.class);
            WaGateway gw = ctx.getBean(WaGateway.class);
            var m = gw.send(dev.wagateway.message.MessageRequest.builder().session("sales").to("+491701234567")
                .text("stored").build());
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM wa_message WHERE id = '" + m.id() + "'")) {
              rs.next();
              assertThat(rs.getInt(1)).as("the message is in the application's database").isEqualTo(1);
            }
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM wa_session WHERE id = 'sales'")) {
              rs.next();
              assertThat(rs.getInt(1)).isEqualTo(1);
            }
          });
    }
    // the context closed that pool (Spring closes an AutoCloseable bean); a second one for this check
    try (com.zaxxer.hikari.HikariDataSource again = new com.zaxxer.hikari.HikariDataSource()) {
      again.setJdbcUrl("jdbc:sqlite:" + db);
      runner.withBean(javax.sql.DataSource.class, () -> again).withPropertyValues("wa.store=jdbc").run(ctx ->
          assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.encryption-key"));
    }
  }

  @Test
  void defaultsGiveARunningGatewayOnTheSimulatedEngineWithMetricsAndHealth() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(WaGateway.class).hasSingleBean(SimulatedNetwork.class)
          .hasSingleBean(WaGatewayLifecycle.class).hasSingleBean(WaGatewayMetrics.class)
          .hasSingleBean(dev.wagateway.stats.MessageStatistics.class)
          .hasSingleBean(MetricsTracker.class).doesNotHaveBean(OperationObserver.class)
          .hasBean("waHealthContributor");
      assertThat(ctx.getBean(WebhookDeliverer.class)).isInstanceOf(HttpWebhookDeliverer.class);
      WaGateway gw = ctx.getBean(WaGateway.class);
      assertThat(gw.isRunning()).as("started with the context").isTrue();
      assertThat(gw.engine().name()).isEqualTo("simulated");
      CompositeHealthContributor wa = ctx.getBean("waHealthContributor", CompositeHealthContributor.class);
      HealthIndicator sessions = (HealthIndicator) wa.getContributor("sessions");
      assertThat(sessions.health().getStatus().getCode()).isEqualTo("UP");
      assertThat(wa.getContributor("scheduler")).isNotNull();
      assertThat(wa.getContributor("stores")).isNotNull();
    });
  }

  @Test
  void everyPropertyIsApplied() {
    runner.withPropertyValues("wa.sessions=sales,support", "wa.max-sessions=3", "wa.shutdown-timeout=2s",
        "wa.encryption-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "wa.queue.max-queued=1", "wa.queue.overflow=REJECT", "wa.queue.rate=2", "wa.queue.burst=1",
        "wa.queue.recipient-gap=1s", "wa.queue.max-attempts=3", "wa.queue.retry-initial-delay=1s",
        "wa.queue.retry-max-delay=1m", "wa.webhooks.client=hc5", "wa.webhooks.allow-private-networks=true",
        "wa.webhooks.schedule=0s,1s,10s", "wa.webhooks.disable-after=1h", "wa.webhooks.disable-after-failures=3",
        "wa.webhooks.subscriptions[0].url=https://hooks.example.com/wa",
        "wa.webhooks.subscriptions[0].session=sales",
        "wa.webhooks.subscriptions[0].event-types=message.status,message.received",
        "wa.webhooks.subscriptions[0].secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "wa.webhooks.subscriptions[0].signature-mode=hub", "wa.webhooks.subscriptions[0].ordered=true",
        "wa.webhooks.subscriptions[0].max-concurrency=2",
        "wa.metrics.max-session-tags=5", "wa.metrics.percentile-histograms=true",
        "wa.alerting.interval=30s", "wa.alerting.repeat-interval=1h", "wa.alerting.thresholds.WaQueueBacklogHigh=5000")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(dev.wagateway.alerting.Alerts.class).rules())
              .filteredOn(r -> r.name().equals("WaQueueBacklogHigh")).first()
              .extracting(dev.wagateway.alerting.AlertRule::threshold).isEqualTo(5000.0);
          WaGateway gw = ctx.getBean(WaGateway.class);
          assertThat(gw.sessions().list()).extracting(s -> s.id()).containsExactlyInAnyOrder("sales", "support");
          assertThat(ctx.getBean(WebhookDeliverer.class)).isInstanceOf(Hc5WebhookDeliverer.class);
          WebhookSubscription sub = gw.webhooks().list().get(0);
          assertThat(sub.url().toString()).isEqualTo("https://hooks.example.com/wa");
          assertThat(sub.sessionId()).isEqualTo("sales");
          assertThat(sub.eventTypes()).isEqualTo(Set.of("message.status", "message.received"));
          assertThat(sub.ordered()).isTrue();
          assertThat(sub.maxConcurrency()).isEqualTo(2);
          assertThat(sub.signatureMode().name()).isEqualTo("HUB_SHA256");
          assertThat(sub.secrets().get(0).encoded()).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
          // max-sessions=3: a fourth session is refused
          gw.sessions().create("third");
          assertThatThrownBy(() -> gw.sessions().create("fourth")).isInstanceOf(SessionLimitExceededException.class);
          // max-queued=1: the second waiting message is refused (the session is not connected, so nothing leaves)
          gw.send(MessageRequest.builder().session("support").to("+49 170 1111111").text("one").build());
          assertThatThrownBy(() -> gw.send(MessageRequest.builder().session("support").to("+49 170 2222222")
              .text("two").build())).isInstanceOf(QueueFullException.class);
        });
  }

  @Test
  void badValuesFailTheStartNamingTheProperty() {
    runner.withPropertyValues("wa.engine=cloud").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.engine"));
    runner.withPropertyValues("wa.encryption-key=not-a-key").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.encryption-key"));
    runner.withPropertyValues("wa.queue.rate=-1").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.queue"));
    runner.withPropertyValues("wa.webhooks.client=curl").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.webhooks.client"));
    runner.withPropertyValues("wa.webhooks.subscriptions[0].url=https://x.example.com/h",
        "wa.webhooks.subscriptions[0].secret=plain").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause()
            .hasMessageContaining("wa.webhooks.subscriptions[0].secret"));
    runner.withPropertyValues("wa.alerting.thresholds.NoSuchRule=1").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.alerting")
            .hasMessageContaining("NoSuchRule"));
    runner.withPropertyValues("wa.sessions=has space").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("session id"));
  }

  @Test
  void userBeansWin() {
    WebhookDeliverer mine = r -> CompletableFuture.failedFuture(new IllegalStateException("mine"));
    runner.withBean("myDeliverer", WebhookDeliverer.class, () -> mine)
        .withBean("myMetrics", WaGatewayMetrics.class, () -> WaGatewayMetrics.builder().maxSessionTags(1).build())
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBean(WebhookDeliverer.class)).isSameAs(mine);
          assertThat(ctx).getBeans(WaGatewayMetrics.class).containsOnlyKeys("myMetrics");
        });
    runner.withBean("myGateway", WaGateway.class, () -> WaGateway.builder().build()).run(ctx -> {
      assertThat(ctx).getBeans(WaGateway.class).containsOnlyKeys("myGateway");
      assertThat(ctx.getBean(WaGateway.class).isRunning()).as("the lifecycle starts the user's gateway too").isTrue();
    });
    runner.withBean("myNetwork", SimulatedNetwork.class, () -> new SimulatedNetwork(dev.wagateway.time.TaskScheduler
            .system("mine", 1)))
        .run(ctx -> assertThat(ctx.getBean(Engine.class)).isSameAs(ctx.getBean("myNetwork", SimulatedNetwork.class).engine()));
  }

  @Test
  void aCustomizerHasTheLastWord() {
    runner.withBean(WaGatewayCustomizer.class, () -> b -> b.maxSessions(1))
        .withPropertyValues("wa.sessions=a", "wa.max-sessions=50").run(ctx -> {
          WaGateway gw = ctx.getBean(WaGateway.class);
          assertThatThrownBy(() -> gw.sessions().create("b")).isInstanceOf(SessionLimitExceededException.class);
        });
  }

  @Test
  void anObservationRegistryGetsSpans() {
    runner.withBean(ObservationRegistry.class, ObservationRegistry::create).run(ctx ->
        assertThat(ctx.getBean(OperationObserver.class)).isInstanceOf(WaObservations.class));
  }

  @Test
  void withoutMicrometerThereAreNoMetricsBeans() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(WaGateway.class).doesNotHaveBean(WaGatewayMetrics.class)
          .doesNotHaveBean(MetricsTracker.class);
      assertThat(ctx.getBean(WaGateway.class).isRunning()).isTrue();
    });
  }

  @Test
  void withoutBootHealthThereIsNoContributorAndItCanBeTurnedOff() {
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx ->
        assertThat(ctx).hasNotFailed().hasSingleBean(WaGateway.class).doesNotHaveBean("waHealthContributor"));
    runner.withPropertyValues("management.health.wa.enabled=false").run(ctx ->
        assertThat(ctx).hasNotFailed().doesNotHaveBean("waHealthContributor"));
  }

  @Test
  void theGatewayStopsWithTheContextAndAutoStartCanBeOff() {
    WaGateway[] seen = new WaGateway[1];
    runner.run(ctx -> seen[0] = ctx.getBean(WaGateway.class));
    assertThat(seen[0].isRunning()).as("closed with its context").isFalse();
    runner.withPropertyValues("wa.auto-start=false").run(ctx ->
        assertThat(ctx.getBean(WaGateway.class).isRunning()).isFalse());
  }
}
