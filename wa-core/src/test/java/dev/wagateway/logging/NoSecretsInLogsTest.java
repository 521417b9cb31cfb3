package dev.wagateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.testing.SimHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full scenario at DEBUG level (pairing, messaging, faults, reconnects, logout) writes no full
 * phone number, credential, encryption key or message text to the log, and no event carries them.
 */
class NoSecretsInLogsTest {
  static final String KEY = Base64.getEncoder().encodeToString(
      "k3y-material-that-must-not-leak!".getBytes(StandardCharsets.US_ASCII));
  static final String TEXT = "your one-time code is 884211";

  @Test
  void fullScenarioLeaksNothing() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("dev.wagateway");
    Level before = ours.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    ours.setLevel(Level.DEBUG);
    InMemorySessionStore raw = new InMemorySessionStore();
    List<byte[]> credentials = new ArrayList<>();
    try (SimHarness h = new SimHarness(SimulatedConfig.defaults(), b -> b.sessionStore(raw)
        .encryptionKeys(EncryptionKeys.of("k1", KEY)).sendTimeout(Duration.ofSeconds(2)))) {
      h.pair("alice", "+49 170 1111111");
      h.pair("bob", "+44 7700 900222");
      for (int i = 0; i < 20; i++) {
        h.gateway.send(MessageRequest.builder().session("alice").to("+44 7700 900222").text(TEXT).build());
      }
      h.network.faults("alice").dropSends(2).refuseConnects(2);
      h.time.advance(Duration.ofSeconds(5));
      h.network.faults("alice").disconnect();
      h.time.advance(Duration.ofSeconds(30));
      h.network.faults("bob").stall();
      h.time.advance(Duration.ofMinutes(3));
      h.network.faults("bob").disconnect(Disconnect.Kind.SERVER_ERROR, "503");
      h.time.advance(Duration.ofMinutes(1));
      // the real credentials, read back through the decrypting store
      credentials.add(new dev.wagateway.store.EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY))
          .load("bob").orElseThrow().credentials());
      credentials.add(raw.load("bob").orElseThrow().credentials());
      h.gateway.sessions().logout("alice");

      List<String> forbidden = new ArrayList<>(List.of("491701111111", "447700900222", "1701111111",
          "7700900222", KEY, "k3y-material", TEXT, "884211"));
      for (byte[] c : credentials) {
        forbidden.add(Base64.getEncoder().encodeToString(c));
        forbidden.add(HexFormat.of().formatHex(c));
      }

      assertThat(appender.list).as("the scenario logged something to check").hasSizeGreaterThan(30);
      for (ILoggingEvent e : appender.list) {
        String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap()
            + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
        for (String f : forbidden) {
          assertThat(line).as("log line: %s", line).doesNotContain(f);
        }
      }
      // events are what webhooks send out: same rule, except message bodies, which are their purpose
      for (GatewayEvent e : h.events) {
        String s = e.toString();
        for (String f : forbidden.subList(4, forbidden.size())) {
          if (!f.equals(TEXT) && !f.equals("884211")) {
            assertThat(s).as("event %s", s).doesNotContain(f);
          }
        }
        assertThat(s).doesNotContain("491701111111").doesNotContain("447700900222");
      }
      assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().contains("49******1111"));
      assertThat(appender.list).anyMatch(e -> "alice".equals(e.getMDCPropertyMap().get("session")));
    } finally {
      root.detachAppender(appender);
      ours.setLevel(before);
    }
  }
}
