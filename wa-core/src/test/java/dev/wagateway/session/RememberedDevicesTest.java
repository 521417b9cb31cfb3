package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.testing.SimHarness;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A simulated network that remembers devices: a session paired on one network logs in to another
 * with the same secret (a gateway restart on the simulated engine), not with a different secret.
 */
class RememberedDevicesTest {
  static final byte[] SECRET = "remembered-devices-secret-0001".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aPairedSessionLogsBackInAfterARestartOnlyWithTheSameSecret() {
    InMemorySessionStore store = new InMemorySessionStore();
    try (SimHarness first = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(store))) {
      first.network.rememberDevices(SECRET);
      first.pair("sales", "+491701234567");
    }
    try (SimHarness again = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(store))) {
      again.network.rememberDevices(SECRET);
      again.time.runPending();
      again.time.advance(again.network.config().latency());
      assertThat(again.state("sales")).isEqualTo(SessionState.CONNECTED);
      assertThat(again.gateway.sessions().require("sales").self().asString()).startsWith("491701234567");
    }
    try (SimHarness other = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(store))) {
      other.network.rememberDevices("a-different-secret-for-another".getBytes(StandardCharsets.US_ASCII));
      other.time.runPending();
      other.time.advance(other.network.config().latency());
      assertThat(other.state("sales")).isEqualTo(SessionState.LOGGED_OUT);
    }
  }
}
