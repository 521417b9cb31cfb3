package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.queue.InMemoryQueueStore;
import dev.wagateway.store.InMemoryLeaseStore;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.time.VirtualTaskScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on shared stores (virtual time): the one holding a session's lease runs it, the
 * other knows it; a graceful stop hands it over within one check, a silent death within the lease.
 */
class OwnershipTest {
  static final Duration TTL = Duration.ofSeconds(9);
  static final byte[] DEVICES = "ownership-test-device-secret-1".getBytes(StandardCharsets.US_ASCII);

  final VirtualTaskScheduler time = new VirtualTaskScheduler();
  final InMemorySessionStore sessions = new InMemorySessionStore();
  final InMemoryQueueStore queue = new InMemoryQueueStore();
  final InMemoryLeaseStore leases = new InMemoryLeaseStore();

  SimHarness instance(String id) {
    SimHarness h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.sessionStore(sessions).queueStore(queue)
        .ownership(id, leases, TTL));
    h.network.rememberDevices(DEVICES);
    return h;
  }

  @Test
  void aGracefulStopHandsTheSessionOverWithinOneCheck() {
    SimHarness first = instance("gw-1");
    SimHarness second = instance("gw-2");
    try {
      first.pair("sales", "+491701234567");
      time.advance(TTL.dividedBy(3));
      assertThat(second.gateway.sessions().get("sales")).as("the other instance knows it").isPresent();
      assertThat(second.state("sales")).isNotEqualTo(SessionState.CONNECTED);
      assertThat(leases.get("sales").orElseThrow().owner()).isEqualTo("gw-1");
      long token = leases.get("sales").orElseThrow().token();

      first.gateway.close(); // releases its leases (the harness would also close the shared clock)
      time.advance(TTL.dividedBy(3));
      time.advance(second.network.config().latency());
      assertThat(leases.get("sales").orElseThrow().owner()).isEqualTo("gw-2");
      assertThat(leases.get("sales").orElseThrow().token()).isGreaterThan(token);
      assertThat(second.state("sales")).isEqualTo(SessionState.CONNECTED);
    } finally {
      second.close();
    }
  }

  @Test
  void aSessionOfAnInstanceThatStopsRenewingIsTakenOverAfterItsLease() {
    SimHarness second = instance("gw-2");
    try {
      second.gateway.sessions().create("sales", SessionOptions.defaults().withAutoStart(true));
      // gw-2 holds it; another owner's lease that is never renewed stands for a dead instance
      leases.release("sales", "gw-2", leases.get("sales").orElseThrow().token());
      leases.acquire("sales", "gw-dead", time.now(), TTL);
      time.advance(TTL.minusSeconds(1));
      assertThat(leases.get("sales").orElseThrow().owner()).as("not before the lease ends").isEqualTo("gw-dead");
      time.advance(Duration.ofSeconds(1).plus(TTL.dividedBy(3)));
      assertThat(leases.get("sales").orElseThrow().owner()).isEqualTo("gw-2");
    } finally {
      second.close();
    }
  }
}
