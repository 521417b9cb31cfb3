package dev.wagateway.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagateway.ValidationException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The built-in alerting on virtual time: fire once, cooldown, resolve, silence, acknowledge, rates. */
class AlertingTest {
  SimHarness h;

  void start(AlertingConfig config) {
    start(config, SimulatedConfig.defaults());
  }

  void start(AlertingConfig config, SimulatedConfig sim) {
    h = new SimHarness(sim, b -> b.alerting(config).queue(QueueConfig.defaults().withPacing(PacingPolicy.off())));
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  List<GatewayEvent.AlertFiring> firing(String rule) {
    return h.events(GatewayEvent.AlertFiring.class).stream().filter(e -> e.rule().equals(rule)).toList();
  }

  List<GatewayEvent.AlertResolved> resolved(String rule) {
    return h.events(GatewayEvent.AlertResolved.class).stream().filter(e -> e.rule().equals(rule)).toList();
  }

  AlertingConfig withCooldown(String rule, Duration cooldown) {
    AlertingConfig d = AlertingConfig.defaults();
    return d.withRules(d.rules().stream().map(r -> r.name().equals(rule) ? r.withCooldown(cooldown) : r).toList());
  }

  void disconnectFor(String session) {
    h.network.faults(session).refuseConnects(1_000);
    h.network.faults(session).disconnect();
  }

  void reconnect(String session) {
    h.network.faults(session).clear();
    h.time.advance(Duration.ofMinutes(6)); // past the longest reconnect backoff
    assertThat(h.state(session)).isEqualTo(SessionState.CONNECTED);
  }

  @Test
  void aDisconnectedSessionFiresOnceRespectsTheCooldownAndResolvesOnReconnect() {
    start(withCooldown("WaSessionDisconnected", Duration.ofHours(1)));
    h.pair("a", "+49 170 1111111");
    h.time.advance(Duration.ofMinutes(1));
    disconnectFor("a");
    h.time.advance(Duration.ofMinutes(4));
    assertThat(firing("WaSessionDisconnected")).as("pending for less than 5 minutes").isEmpty();
    assertThat(h.gateway.alerts().active()).anySatisfy(a -> {
      assertThat(a.rule()).isEqualTo("WaSessionDisconnected");
      assertThat(a.state()).isEqualTo(Alert.State.PENDING);
    });
    h.time.advance(Duration.ofMinutes(2));
    assertThat(firing("WaSessionDisconnected")).hasSize(1).first().satisfies(e -> {
      assertThat(e.sessionId()).isEqualTo("a");
      assertThat(e.severity()).isEqualTo("warning");
      assertThat(e.test()).isFalse();
    });
    h.time.advance(Duration.ofMinutes(30));
    assertThat(firing("WaSessionDisconnected")).as("no repeat before the repeat interval").hasSize(1);

    reconnect("a");
    assertThat(resolved("WaSessionDisconnected")).hasSize(1).first()
        .satisfies(e -> assertThat(e.firingSince()).isNotNull());
    assertThat(h.gateway.alerts().active()).noneMatch(a -> a.rule().equals("WaSessionDisconnected"));

    // it flaps: fires again well within the hour's cooldown, so it does not notify...
    disconnectFor("a");
    h.time.advance(Duration.ofMinutes(6));
    assertThat(h.gateway.alerts().active()).anySatisfy(a -> assertThat(a.state()).isEqualTo(Alert.State.FIRING));
    assertThat(firing("WaSessionDisconnected")).as("within the cooldown").hasSize(1);
    // ...until the cooldown has passed and it still fires
    h.time.advance(Duration.ofMinutes(30));
    assertThat(firing("WaSessionDisconnected")).as("after the cooldown").hasSize(2);
  }

  @Test
  void aSilenceSuppressesNotificationsUntilItEnds() {
    start(AlertingConfig.defaults());
    h.pair("a", "+49 170 1111111");
    Silence s = h.gateway.alerts().silence("WaSessionDisconnected", "a", h.time.now().plus(Duration.ofMinutes(20)),
        "maintenance of the phone");
    disconnectFor("a");
    h.time.advance(Duration.ofMinutes(10));
    assertThat(firing("WaSessionDisconnected")).as("silenced").isEmpty();
    assertThat(h.gateway.alerts().active()).anySatisfy(a -> assertThat(a.silencedBy()).isEqualTo(s.id()));
    assertThat(h.gateway.alerts().silences()).containsExactly(s);
    h.time.advance(Duration.ofMinutes(11));
    assertThat(firing("WaSessionDisconnected")).as("the silence ended; still firing").hasSize(1);
    assertThat(h.gateway.alerts().silences()).isEmpty();
  }

  @Test
  void anAcknowledgedAlertDoesNotNotifyAgainUntilItResolves() {
    start(AlertingConfig.defaults().withRepeatInterval(Duration.ofMinutes(30)));
    h.pair("a", "+49 170 1111111");
    h.pair("b", "+49 170 2222222");
    disconnectFor("a");
    disconnectFor("b");
    h.time.advance(Duration.ofMinutes(6));
    assertThat(firing("WaSessionDisconnected")).hasSize(2);
    assertThat(h.gateway.alerts().acknowledge("WaSessionDisconnected", "a")).isTrue();
    assertThat(h.gateway.alerts().acknowledge("WaSessionDisconnected", "nobody")).isFalse();
    h.time.advance(Duration.ofMinutes(31));
    assertThat(firing("WaSessionDisconnected").stream().filter(e -> e.sessionId().equals("a"))).as("acknowledged").hasSize(1);
    assertThat(firing("WaSessionDisconnected").stream().filter(e -> e.sessionId().equals("b"))).as("repeated").hasSize(2);
    reconnect("a");
    assertThat(resolved("WaSessionDisconnected").stream().filter(e -> e.sessionId().equals("a"))).hasSize(1);
  }

  @Test
  void aDeliveryRateBelowNinetyPercentFiresTheDeliveryAlert() {
    start(AlertingConfig.defaults(), SimulatedConfig.defaults().withDeliveryDelay(null)); // no receipts
    h.pair("a", "+49 170 1111111");
    for (int i = 0; i < 150; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (50000 + i)).text("m").build());
    }
    h.time.advance(Duration.ofMinutes(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.gateway.statistics().snapshot(Duration.ofHours(1), null).sent() == 150);
    h.time.advance(Duration.ofMinutes(17));
    assertThat(firing("WaDeliveryRateLow")).hasSize(1).first().satisfies(e -> {
      assertThat(e.value()).isZero();
      assertThat(e.threshold()).isEqualTo(0.9);
      assertThat(e.sessionId()).isEmpty();
    });
  }

  @Test
  void whatsAppRateLimitsAndAReconnectLoopFirePerSession() {
    start(AlertingConfig.defaults());
    h.pair("a", "+49 170 1111111");
    h.pair("b", "+49 170 2222222");
    h.network.faults("a").rateLimit(40, Duration.ofSeconds(2));
    for (int i = 0; i < 15; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (60000 + i)).text("m").build());
    }
    h.network.faults("b").flap(8, Duration.ofSeconds(20)); // the next 8 connections drop after 20 s
    h.network.faults("b").disconnect();
    h.time.advance(Duration.ofMinutes(8));
    assertThat(firing("WaRateLimitHitsRising")).as(h.gateway.queueStats().rateLimitHitsBySession().toString())
        .hasSize(1).first().satisfies(e -> {
      assertThat(e.sessionId()).isEqualTo("a");
      assertThat(e.value()).isGreaterThan(10);
    });
    assertThat(firing("WaReconnectLoop")).hasSize(1).first().satisfies(e -> {
      assertThat(e.sessionId()).isEqualTo("b");
      assertThat(e.value()).isGreaterThan(5);
    });
    assertThat(firing("WaRateLimitHitsRising")).noneMatch(e -> e.sessionId().equals("b"));
  }

  @Test
  void aTestAlertIsClearlyMarked() {
    start(AlertingConfig.defaults());
    h.gateway.alerts().testFire("checking the pager");
    assertThat(h.events(GatewayEvent.AlertFiring.class)).hasSize(1).first().satisfies(e -> {
      assertThat(e.test()).isTrue();
      assertThat(e.rule()).isEqualTo("TestAlert");
      assertThat(e.summary()).startsWith("TEST ALERT").contains("checking the pager");
    });
  }

  @Test
  void badSilencesAndSettingsNameTheirField() {
    start(AlertingConfig.defaults());
    assertThatThrownBy(() -> h.gateway.alerts().silence(null, null, h.time.now().plusSeconds(60), "x"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("rule");
    assertThatThrownBy(() -> h.gateway.alerts().silence("NoSuchRule", null, h.time.now().plusSeconds(60), "x"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no rule named");
    assertThatThrownBy(() -> h.gateway.alerts().silence(null, "a", h.time.now().minusSeconds(1), "x"))
        .isInstanceOf(ValidationException.class).extracting(e -> ((ValidationException) e).field()).isEqualTo("until");
    assertThatThrownBy(() -> AlertingConfig.defaults().withThreshold("Nope", 1)).hasMessageContaining("no rule named Nope");
    assertThat(AlertingConfig.defaults().withThreshold("WaQueueBacklogHigh", 500).rules())
        .filteredOn(r -> r.name().equals("WaQueueBacklogHigh")).first().extracting(AlertRule::threshold).isEqualTo(500.0);
    AlertingConfig off = AlertingConfig.disabled();
    assertThat(off.enabled()).isFalse();
  }
}
