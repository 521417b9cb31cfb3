package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.WaException;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent.SessionStateChanged;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random operations and faults against one session: every state change the gateway publishes is
 * allowed by the transition table, consecutive changes chain, and the session never gets stuck in
 * a transient state while time passes.
 */
class SessionLifecycleProperties {

  enum Op { START, STOP, LOGOUT, DISCONNECT, REFUSE_3, FLAP_3, STALL, RESUME, RESTRICT, REPLACED,
    UNLINK, SCAN, SEND, WAIT_1S, WAIT_1M }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.of(Op.class).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void publishedTransitionsAlwaysFollowTheTable(@ForAll("ops") List<Op> ops) {
    try (SimHarness h = new SimHarness(SimulatedConfig.defaults(), b -> b.sendTimeout(Duration.ofSeconds(5)))) {
      h.gateway.sessions().create("s", SessionOptions.defaults().withAutoStart(false));
      for (Op op : ops) {
        apply(h, op);
        h.time.runPending();
      }
      List<SessionStateChanged> changes = h.events(SessionStateChanged.class, "s");
      SessionState current = SessionState.CREATED;
      for (SessionStateChanged c : changes) {
        assertThat(c.from()).as("chained from the previous state").isEqualTo(current);
        assertThat(c.from().canTransitionTo(c.to())).as("%s -> %s", c.from(), c.to()).isTrue();
        assertThat(c.reason()).isNotBlank();
        current = c.to();
      }
      assertThat(h.state("s")).isEqualTo(current);
      // nothing stays half-way: after an hour with faults cleared, the session has settled
      h.network.faults("s").clear();
      h.time.advance(Duration.ofHours(1));
      assertThat(h.state("s")).isIn(SessionState.CREATED, SessionState.CONNECTED, SessionState.STOPPED,
          SessionState.LOGGED_OUT, SessionState.RESTRICTED, SessionState.FAILED);
    }
  }

  private static void apply(SimHarness h, Op op) {
    var faults = h.network.faults("s");
    try {
      switch (op) {
        case START -> h.gateway.sessions().start("s");
        case STOP -> h.gateway.sessions().stop("s");
        case LOGOUT -> h.gateway.sessions().logout("s");
        case DISCONNECT -> faults.disconnect();
        case REFUSE_3 -> faults.refuseConnects(3);
        case FLAP_3 -> faults.flap(3, Duration.ofMillis(300));
        case STALL -> faults.stall();
        case RESUME -> faults.resume();
        case RESTRICT -> faults.restrict();
        case REPLACED -> faults.disconnect(Disconnect.Kind.REPLACED, "conflict");
        case UNLINK -> faults.logoutFromPhone();
        case SCAN -> {
          String qr = h.network.currentQr("s");
          if (qr != null) {
            h.network.scan(qr, "+49 170 1111111");
          }
        }
        case SEND -> h.gateway.send(MessageRequest.builder().session("s").to("+44 7700 900222").text("x").build());
        case WAIT_1S -> h.time.advance(Duration.ofSeconds(1));
        case WAIT_1M -> h.time.advance(Duration.ofMinutes(1));
      }
    } catch (WaException expected) {
      // refused operations (e.g. send while RESTRICTED) are part of the space explored
    }
  }
}
