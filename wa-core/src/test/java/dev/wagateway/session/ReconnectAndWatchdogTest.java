package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent.ReconnectScheduled;
import dev.wagateway.event.GatewayEvent.SessionStateChanged;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconnectAndWatchdogTest {
  static final String ALICE = "+49 170 1111111";

  static final ReconnectPolicy POLICY = new ReconnectPolicy(Duration.ofSeconds(1), 2.0, 0.5,
      Duration.ofSeconds(30), 8, Duration.ofMinutes(10), Duration.ofMinutes(1));

  SimHarness h = new SimHarness(SimulatedConfig.defaults(), b -> b.reconnectPolicy(POLICY)
      .watchdogPolicy(new WatchdogPolicy(true, Duration.ofSeconds(60), Duration.ofSeconds(10),
          Duration.ofSeconds(1))));

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void disconnectStormBacksOffExponentiallyWithJitterAndACap() {
    h.pair("a", ALICE);
    h.network.faults("a").refuseConnects(6);
    h.network.faults("a").disconnect();
    h.time.advance(Duration.ofMinutes(5));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);

    List<ReconnectScheduled> scheduled = h.events(ReconnectScheduled.class, "a");
    assertThat(scheduled).extracting(ReconnectScheduled::attempt).containsExactly(1, 2, 3, 4, 5, 6, 7);
    for (ReconnectScheduled r : scheduled) {
      long base = POLICY.baseDelay(r.attempt()).toMillis();
      assertThat(r.delay().toMillis()).as("attempt %d", r.attempt())
          .isBetween((long) (base * 0.5), (long) Math.min(base * 1.5, 30_000 * 1.5));
    }
    // the time between a reconnect being scheduled and the next connection attempt is that delay
    List<SessionStateChanged> changes = h.events(SessionStateChanged.class, "a");
    for (ReconnectScheduled r : scheduled) {
      Instant attemptAt = changes.stream()
          .filter(c -> c.from() == SessionState.RECONNECTING && !c.timestamp().isBefore(r.timestamp()))
          .findFirst().orElseThrow().timestamp();
      assertThat(Duration.between(r.timestamp(), attemptAt)).isEqualTo(r.delay());
    }
    // delays grow until the cap: the 6th base delay (32 s) is capped at 30 s
    assertThat(POLICY.baseDelay(6)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void flappingConnectionTripsLoopDetectionIntoFailedWithAReason() {
    h.pair("a", ALICE);
    h.network.faults("a").flap(100, Duration.ofMillis(200));
    h.network.faults("a").disconnect();
    h.time.advance(Duration.ofMinutes(10));
    SessionInfo info = h.gateway.sessions().require("a");
    assertThat(info.state()).isEqualTo(SessionState.FAILED);
    assertThat(info.reason()).startsWith("reconnect loop: 8 reconnects within PT10M");
    assertThat(h.events(ReconnectScheduled.class, "a")).hasSize(8);
    SessionStateChanged last = h.events(SessionStateChanged.class, "a").get(
        h.events(SessionStateChanged.class, "a").size() - 1);
    assertThat(last.to()).isEqualTo(SessionState.FAILED);
    assertThat(last.reason()).contains("reconnect loop");
    // a failed session stays down until an operator starts it
    h.time.advance(Duration.ofHours(1));
    assertThat(h.state("a")).isEqualTo(SessionState.FAILED);
    h.network.faults("a").clear();
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
  }

  @Test
  void reconnectsSpreadBeyondTheWindowDoNotTrip() {
    h.pair("a", ALICE);
    for (int i = 0; i < 20; i++) {
      h.network.faults("a").disconnect();
      h.time.advance(Duration.ofMinutes(3)); // stable for > 1 min each time: backoff resets
      assertThat(h.state("a")).as("drop %d", i).isEqualTo(SessionState.CONNECTED);
    }
    assertThat(h.events(ReconnectScheduled.class, "a")).extracting(ReconnectScheduled::attempt)
        .containsOnly(1);
  }

  @Test
  void silentStallBecomesDegradedWithinTheTimeoutAndIsReconnected() {
    h.pair("a", ALICE);
    Instant stalledAt = h.time.now();
    h.network.faults("a").stall();
    h.time.advance(Duration.ofSeconds(59));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
    h.time.advance(Duration.ofSeconds(30)); // last keep-alive was at most 25 s before the stall
    List<SessionStateChanged> changes = h.events(SessionStateChanged.class, "a");
    SessionStateChanged degraded = changes.stream().filter(c -> c.to() == SessionState.DEGRADED)
        .findFirst().orElseThrow();
    assertThat(Duration.between(stalledAt, degraded.timestamp()))
        .isLessThanOrEqualTo(Duration.ofSeconds(60 + 1));
    assertThat(degraded.reason()).startsWith("no frame for");
    h.time.advance(Duration.ofSeconds(30));
    SessionStateChanged reconnecting = changes(h).stream()
        .filter(c -> c.from() == SessionState.DEGRADED && c.to() == SessionState.RECONNECTING)
        .findFirst().orElseThrow();
    assertThat(reconnecting.reason()).contains("no answer to probe");
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
  }

  @Test
  void degradedSessionThatAnswersTheProbeRecoversWithoutReconnect() {
    h.pair("a", ALICE);
    h.network.faults("a").stall();
    int seconds = 0;
    while (h.state("a") != SessionState.DEGRADED && seconds++ < 120) {
      h.time.advance(Duration.ofSeconds(1));
    }
    assertThat(h.state("a")).isEqualTo(SessionState.DEGRADED);
    assertThat(seconds).isBetween(60, 62);
    // the link comes back within the grace: the next sweep's probe is answered
    h.network.faults("a").resume();
    h.time.advance(Duration.ofSeconds(2));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
    h.time.advance(Duration.ofMinutes(2));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
    assertThat(changes(h)).noneMatch(c -> c.to() == SessionState.RECONNECTING);
    assertThat(changes(h)).anyMatch(c -> c.from() == SessionState.DEGRADED
        && c.to() == SessionState.CONNECTED && c.reason().equals("activity resumed"));
  }

  @Test
  void aSendSwallowedByAStallIsRetriedAfterTheReconnect() {
    h.pair("a", ALICE);
    h.network.faults("a").stall();
    var m = h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("x").build());
    h.time.advance(Duration.ofMinutes(3));
    // attempts 1 and 2 went into the silent link and timed out (30 s each); the third waited while
    // the session was DEGRADED and went out after the reconnect
    var info = h.gateway.message(m.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.READ);
    assertThat(info.attempts()).isEqualTo(3);
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
  }

  @Test
  void phoneUnlinkingLogsOutAndWipesCredentials() {
    h.pair("a", ALICE);
    h.network.faults("a").logoutFromPhone();
    SessionInfo info = h.gateway.sessions().require("a");
    assertThat(info.state()).isEqualTo(SessionState.LOGGED_OUT);
    assertThat(info.self()).isNull();
    // starting again means pairing again
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.state("a")).isEqualTo(SessionState.PAIRING);
  }

  @Test
  void logoutByRequestUnlinksTheDevice() {
    h.pair("a", ALICE);
    h.gateway.sessions().logout("a");
    assertThat(h.state("a")).isEqualTo(SessionState.LOGGED_OUT);
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.state("a")).isEqualTo(SessionState.PAIRING);
  }

  @Test
  void restrictionStopsSendingWithAClearError() {
    h.pair("a", ALICE);
    h.network.faults("a").restrict();
    assertThat(h.state("a")).isEqualTo(SessionState.RESTRICTED);
    assertThatThrownBy(() -> h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222")
        .text("x").build())).isInstanceOf(IllegalSessionStateException.class)
        .hasMessageContaining("cannot send while RESTRICTED");
    h.time.advance(Duration.ofHours(1));
    assertThat(h.state("a")).as("no reconnect after a restriction").isEqualTo(SessionState.RESTRICTED);
  }

  @Test
  void replacedByAnotherClientStopsWithoutFightingBack() {
    h.pair("a", ALICE);
    h.network.faults("a").disconnect(Disconnect.Kind.REPLACED, "conflict");
    SessionInfo info = h.gateway.sessions().require("a");
    assertThat(info.state()).isEqualTo(SessionState.STOPPED);
    assertThat(info.reason()).contains("replaced by another client");
    h.time.advance(Duration.ofMinutes(5));
    assertThat(h.events(ReconnectScheduled.class, "a")).isEmpty();
  }

  @Test
  void callbacksFromAClosedConnectionAreIgnored() {
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    h.network.faults("a").disconnect(); // nothing is attached any more: no effect
    h.time.advance(Duration.ofMinutes(1));
    assertThat(h.state("a")).isEqualTo(SessionState.STOPPED);
  }

  private static List<SessionStateChanged> changes(SimHarness h) {
    return h.events(SessionStateChanged.class, "a");
  }
}
