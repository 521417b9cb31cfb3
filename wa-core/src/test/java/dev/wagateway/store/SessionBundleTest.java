package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.SessionAlreadyExistsException;
import dev.wagateway.ValidationException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.testing.SimHarness;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions leave one gateway as an encrypted bundle and log in on another. */
class SessionBundleTest {
  static final byte[] DEVICES = "bundle-test-device-secret-0001".getBytes(StandardCharsets.US_ASCII);
  static final char[] PASS = "correct horse battery staple".toCharArray();

  @Test
  void exportedSessionsLogInOnAnotherGatewayWithAnotherStore() {
    InMemorySessionStore sourceStore = new InMemorySessionStore();
    byte[] bundle;
    byte[] credentials;
    try (SimHarness source = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(sourceStore))) {
      source.network.rememberDevices(DEVICES);
      source.pair("sales", "+491701234567");
      source.pair("support", "+491707654321");
      bundle = source.gateway.sessions().exportBundle(List.of(), PASS);
      credentials = sourceStore.load("sales").orElseThrow().credentials();
    }
    String text = new String(bundle, StandardCharsets.UTF_8);
    assertThat(text).contains(SessionBundle.FORMAT).contains("\"sessions\":2")
        .doesNotContain(Base64.getEncoder().encodeToString(credentials)).doesNotContain("sales")
        .doesNotContain("correct horse");

    InMemorySessionStore targetStore = new InMemorySessionStore();
    try (SimHarness target = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(targetStore))) {
      target.network.rememberDevices(DEVICES);
      assertThat(target.gateway.sessions().importBundle(bundle, PASS)).hasSize(2);
      target.time.runPending();
      target.time.advance(target.network.config().latency());
      assertThat(target.state("sales")).isEqualTo(SessionState.CONNECTED);
      assertThat(target.state("support")).isEqualTo(SessionState.CONNECTED);
      assertThat(targetStore.load("sales").orElseThrow().credentials()).isEqualTo(credentials);

      // all or nothing: a bundle with a session that exists adds none of its sessions
      assertThatThrownBy(() -> target.gateway.sessions().importBundle(bundle, PASS))
          .isInstanceOf(SessionAlreadyExistsException.class);
      assertThat(target.gateway.sessions().list()).hasSize(2);
    }
  }

  @Test
  void badPassphrasesAndBundlesAreRefusedNamingTheField() {
    byte[] bundle = SessionBundle.seal(List.of(), PASS);
    assertThat(SessionBundle.open(bundle, PASS)).isEmpty();
    assertField(() -> SessionBundle.open(bundle, "another passphrase!".toCharArray()), "passphrase", "does not open");
    assertField(() -> SessionBundle.open(bundle, "short".toCharArray()), "passphrase", "at least 12");
    assertField(() -> SessionBundle.seal(List.of(), "short".toCharArray()), "passphrase", "at least 12");
    assertField(() -> SessionBundle.open("not json".getBytes(StandardCharsets.UTF_8), PASS), "bundle", "not JSON");
    assertField(() -> SessionBundle.open("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8), PASS), "bundle",
        "format");
    String text = new String(bundle, StandardCharsets.UTF_8);
    int at = text.indexOf("\"ciphertext\":\"") + 14;
    char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
    byte[] altered = (text.substring(0, at) + flipped + text.substring(at + 1)).getBytes(StandardCharsets.UTF_8);
    assertField(() -> SessionBundle.open(altered, PASS), "passphrase", "altered");
    String weak = text.replace("\"iterations\":210000", "\"iterations\":1");
    assertField(() -> SessionBundle.open(weak.getBytes(StandardCharsets.UTF_8), PASS), "bundle.iterations", "between");
  }

  static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String text) {
    assertThatThrownBy(call).isInstanceOf(ValidationException.class).hasMessageContaining(text)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field))
        .hasMessageNotContaining("correct horse");
  }
}
