package dev.wagateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.StoreException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.store.SessionStore;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Simulated faults drive the statuses (virtual time). */
class GatewayHealthTest {
  final AtomicBoolean storeDown = new AtomicBoolean();
  SimHarness h;
  HealthService health;

  /** A session store that can be made unreachable. */
  final class Flaky implements SessionStore {
    final InMemorySessionStore inner = new InMemorySessionStore();

    void check() {
      if (storeDown.get()) {
        throw new StoreException("connection refused");
      }
    }

    @Override
    public java.util.Optional<dev.wagateway.store.SessionRecord> load(String id) {
      check();
      return inner.load(id);
    }

    @Override
    public void save(dev.wagateway.store.SessionRecord r) {
      check();
      inner.save(r);
    }

    @Override
    public boolean delete(String id) {
      check();
      return inner.delete(id);
    }

    @Override
    public java.util.List<dev.wagateway.store.SessionRecord> loadAll() {
      check();
      return inner.loadAll();
    }

    @Override
    public void ping() {
      check();
    }
  }

  void start() {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(new Flaky()));
    health = HealthService.builder().checks(GatewayChecks.all(h.gateway, h.time.clock()))
        .startedAt(h.gateway::startedAt).clock(h.time.clock()).build();
  }

  @AfterEach
  void close() {
    health.close();
    h.close();
  }

  @Test
  void aDisconnectedSessionDegradesTheServiceUntilItReconnects() {
    start();
    h.pair("a", "+49 170 1111111");
    assertThat(health.report().status()).isEqualTo(HealthStatus.UP);
    h.network.faults("a").refuseConnects(1000);
    h.network.faults("a").disconnect();
    h.time.advance(Duration.ofMinutes(1));
    assertThat(health.report().checks().get("sessions").status()).as("within the threshold").isEqualTo(HealthStatus.UP);
    h.time.advance(Duration.ofMinutes(2));
    HealthReport r = health.report();
    assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(r.checks().get("sessions").status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.report(HealthCheck.Group.READINESS).status()).as("still ready").isEqualTo(HealthStatus.UP);
    h.network.faults("a").clear();
    h.time.advance(Duration.ofMinutes(6));
    assertThat(h.state("a")).isEqualTo(dev.wagateway.session.SessionState.CONNECTED);
    assertThat(health.report().status()).isEqualTo(HealthStatus.UP);
    assertThat(r.uptimeSeconds()).isEqualTo(180);
  }

  @Test
  void anUnreachableStoreTakesReadinessDownWhileLivenessStaysUp() {
    start();
    h.pair("a", "+49 170 1111111");
    storeDown.set(true);
    HealthReport ready = health.report(HealthCheck.Group.READINESS);
    assertThat(ready.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(ready.checks().get("stores").details().get("reason").toString())
        .contains("session store unreachable");
    assertThat(health.report(HealthCheck.Group.LIVENESS).status()).isEqualTo(HealthStatus.UP);
    storeDown.set(false);
    assertThat(health.report(HealthCheck.Group.READINESS).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void aStalledSchedulerFailsLiveness() {
    start();
    java.time.Clock twentySecondsLater = java.time.Clock.offset(h.time.clock(), Duration.ofSeconds(20));
    HealthCheck scheduler = GatewayChecks.scheduler(h.gateway, twentySecondsLater, Duration.ofSeconds(10));
    try (HealthService stalled = HealthService.builder().check(scheduler).build()) {
      HealthReport r = stalled.report(HealthCheck.Group.LIVENESS);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.checks().get("scheduler").details().get("ageMs")).isEqualTo(20_000L);
    }
    assertThat(health.report(HealthCheck.Group.LIVENESS).status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void silentSessionsAndDisabledEndpointsDegrade() {
    start();
    h.pair("a", "+49 170 1111111");
    HealthCheck silent = GatewayChecks.silentSessions(h.gateway, h.time.clock(), Duration.ofSeconds(30));
    try (HealthService s = HealthService.builder().check(silent).build()) {
      assertThat(s.report().status()).isEqualTo(HealthStatus.UP);
      h.network.faults("a").stall();
      h.time.advance(Duration.ofSeconds(60)); // keep-alives stop; the watchdog's own limit is 90 s
      assertThat(s.report().status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(s.report().checks().get("silentSessions").details().get("silent").toString()).contains("a=");
    }
    var sub = h.gateway.webhooks().create(dev.wagateway.webhook.SubscriptionRequest
        .builder("https://hooks.example.com/x").build());
    assertThat(health.report().checks().get("webhooks").status()).isEqualTo(HealthStatus.UP);
    h.gateway.webhooks().disable(sub.id());
    HealthReport r = health.report();
    assertThat(r.checks().get("webhooks").status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(r.checks().get("webhooks").details().get("disabledEndpoints").toString()).contains(sub.id());
  }

  @Test
  void aClosedGatewayIsNotReady() {
    start();
    assertThat(health.report(HealthCheck.Group.READINESS).status()).isEqualTo(HealthStatus.UP);
    h.gateway.close();
    assertThat(health.report(HealthCheck.Group.READINESS).checks().get("gateway").status())
        .isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void theJsonHasTheDocumentedShape() throws Exception {
    start();
    h.pair("a", "+49 170 1111111");
    h.time.advance(Duration.ofSeconds(42));
    JsonNode full = new ObjectMapper().readTree(HealthJson.render(health.report(), true));
    assertThat(full.fieldNames()).toIterable().containsExactly("status", "timestamp", "uptimeSeconds", "checks");
    assertThat(full.get("status").asText()).isIn("UP", "DEGRADED", "DOWN");
    assertThat(java.time.Instant.parse(full.get("timestamp").asText())).isNotNull();
    assertThat(full.get("uptimeSeconds").isIntegralNumber()).isTrue();
    assertThat(full.get("uptimeSeconds").asLong()).isEqualTo(42);
    Iterator<String> names = full.get("checks").fieldNames();
    assertThat(names).toIterable().contains("gateway", "scheduler", "stores", "sessions", "silentSessions",
        "queue", "webhooks", "memory");
    for (JsonNode c : full.get("checks")) {
      assertThat(c.fieldNames()).toIterable().containsExactly("status", "durationMs", "details");
      assertThat(c.get("durationMs").isIntegralNumber()).isTrue();
      assertThat(c.get("details").isObject()).isTrue();
    }
    assertThat(full.get("checks").get("sessions").get("details").get("sessions").get("a").get("state").asText())
        .isEqualTo("CONNECTED");
    JsonNode brief = new ObjectMapper().readTree(HealthJson.render(health.report(), false));
    for (JsonNode c : brief.get("checks")) {
      assertThat(c.fieldNames()).toIterable().containsExactly("status", "durationMs");
    }
    assertThat(new String(HealthJson.render(health.report(), true))).doesNotContain("491701111111");
  }
}
