package dev.wagateway.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.Inbound;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.web.WebEngine;
import dev.wagateway.web.WebEngineConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A connection's outcomes that need no server. */
class WebConnectionTest {

  /** Records what the connection reports. */
  static final class Recorder implements EngineListener {
    final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();

    @Override
    public void onQrCode(String code, Duration validFor) {}

    @Override
    public void onPairingCode(String code, Duration validFor) {}

    @Override
    public void onPaired(Jid self, byte[] credentials) {}

    @Override
    public void onConnected(Jid self) {}

    @Override
    public void onDisconnected(Disconnect reason) {
      disconnects.add(reason);
    }

    @Override
    public void onActivity() {}

    @Override
    public void onInbound(Inbound inbound) {}

    @Override
    public void onReceipt(String providerMessageId, MessageStatus status, Instant at) {}
  }

  @Test
  void unreadableStoredCredentialsMeanPairAgain() {
    try (WebEngine engine = new WebEngine(WebEngineConfig.defaults())) {
      Recorder recorder = new Recorder();
      var connection = engine.open(new EngineSession("a", Jid.ofPhone("+491701234567"),
          new byte[] {1, 2, 3, 4, 5}, PairingMethod.qr()), recorder);
      connection.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.disconnects.isEmpty());
      assertThat(recorder.disconnects).hasSize(1);
      assertThat(recorder.disconnects.get(0).kind()).isEqualTo(Disconnect.Kind.LOGGED_OUT);
      assertThat(recorder.disconnects.get(0).code()).isEqualTo("credentials_unreadable");
    }
  }

  @Test
  void aServerThatIsNotThereIsAConnectFailure() {
    // a port nothing listens on: the socket fails before any handshake
    try (WebEngine engine = new WebEngine(WebEngineConfig.defaults().withUrl(URI.create("ws://127.0.0.1:9/ws/chat")))) {
      Recorder recorder = new Recorder();
      engine.open(new EngineSession("a", null, null, PairingMethod.qr()), recorder).connect();
      await().atMost(Duration.ofSeconds(25)).until(() -> !recorder.disconnects.isEmpty());
      assertThat(recorder.disconnects.get(0).kind()).isEqualTo(Disconnect.Kind.CONNECT_FAILED);
      assertThat(recorder.disconnects.get(0).kind().reconnects()).isTrue();
    }
  }
}
