package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagateway.StoreException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.Engine;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.SendAck;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.InMemorySessionStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An engine's later credential changes are stored (encrypted) in place, before the call returns. */
class CredentialsChangedTest {

  /** Pairs at once with "v1" credentials and keeps the listener for the test to call. */
  static final class KeepingEngine implements Engine {
    final AtomicReference<EngineListener> listener = new AtomicReference<>();
    final Jid self = Jid.ofPhone("+491701234567");

    @Override
    public String name() {
      return "keeping";
    }

    @Override
    public EngineConnection open(EngineSession session, EngineListener l) {
      listener.set(l);
      return new EngineConnection() {
        @Override
        public void connect() {
          if (session.credentials() == null) {
            l.onPaired(self, "v1".getBytes());
          }
          l.onConnected(self);
        }

        @Override
        public CompletionStage<SendAck> send(OutboundMessage message) {
          return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public void close() {}

        @Override
        public void logout() {}
      };
    }
  }

  @Test
  void changedCredentialsReplaceTheStoredOnesEncrypted() {
    KeepingEngine engine = new KeepingEngine();
    InMemorySessionStore raw = new InMemorySessionStore();
    try (WaGateway gw = WaGateway.builder().engine(engine).sessionStore(raw)
        .encryptionKeys(EncryptionKeys.of("k1", Base64.getEncoder().encodeToString(new byte[32])))
        .build()) {
      gw.start();
      gw.sessions().create("a");
      await().atMost(Duration.ofSeconds(5)).until(() ->
          gw.sessions().require("a").state() == SessionState.CONNECTED);
      var pairedAt = raw.load("a").orElseThrow().pairedAt();

      engine.listener.get().onCredentialsChanged("v2-with-a-new-ratchet".getBytes());

      var stored = raw.load("a").orElseThrow();
      assertThat(new String(stored.credentials())).as("encrypted at rest")
          .doesNotContain("v2-with-a-new-ratchet");
      assertThat(stored.pairedAt()).isEqualTo(pairedAt);
      assertThat(stored.self()).isEqualTo(engine.self);
      // read back through the gateway's own (decrypting) view: a restart would get v2
      gw.sessions().stop("a");
      await().atMost(Duration.ofSeconds(5)).until(() ->
          gw.sessions().require("a").state() == SessionState.STOPPED);
      assertThatThrownBy(() -> engine.listener.get().onCredentialsChanged("late".getBytes()))
          .as("a closed connection's changes are refused, not silently dropped")
          .isInstanceOf(StoreException.class);
      gw.sessions().start("a");
      await().atMost(Duration.ofSeconds(5)).until(() ->
          gw.sessions().require("a").state() == SessionState.CONNECTED);
    }
  }
}
