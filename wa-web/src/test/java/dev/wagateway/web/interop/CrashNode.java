package dev.wagateway.web.interop;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.jdbc.JdbcStores;
import dev.wagateway.message.MessageContent;
import dev.wagateway.session.SessionState;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.store.SessionStore;
import dev.wagateway.web.WebEngine;
import dev.wagateway.web.WebEngineConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A gateway with one web session in its own JVM, for the crash test: its session lives in SQLite,
 * it prints what happens (QR, CONNECTED, RECEIVED id text) and, told "arm" on stdin, kills its JVM
 * right after the next session store write — the write that keeps a received message's state,
 * before the message is emitted or acknowledged.
 *
 * <p>Usage: {@code CrashNode <ws url> <test root hex> <sqlite file>}
 */
public final class CrashNode {
  static volatile boolean armed;

  public static void main(String[] args) throws Exception {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl("jdbc:sqlite:" + args[2]);
    cfg.setMaximumPoolSize(2);
    cfg.addDataSourceProperty("journal_mode", "WAL");
    cfg.addDataSourceProperty("busy_timeout", "5000");
    HikariDataSource ds = new HikariDataSource(cfg);
    JdbcStores stores = JdbcStores.on(ds).migrate();
    SessionStore store = new HaltingStore(stores.sessionStore());
    WebEngine engine = new WebEngine(WebEngineConfig.defaults().withUrl(URI.create(args[0]))
        .withRootKey(HexFormat.of().parseHex(args[1])));
    WaGateway gateway = WaGateway.builder().engine(engine).sessionStore(store)
        .encryptionKeys(EncryptionKeys.of("k1", Base64.getEncoder().encodeToString(new byte[32])))
        .build();
    gateway.events().subscribe(e -> {
      if (e instanceof GatewayEvent.QrCodeIssued q) {
        say("QR " + q.code());
      } else if (e instanceof GatewayEvent.SessionStateChanged c && c.to() == SessionState.CONNECTED) {
        say("CONNECTED");
      } else if (e instanceof GatewayEvent.MessageReceived m
          && m.message().content() instanceof MessageContent.Text t) {
        say("RECEIVED " + m.message().id() + " " + t.body());
      }
    }, SubscribeOptions.sync("crash-node"));
    gateway.start();
    if (gateway.sessions().get("a").isEmpty()) {
      gateway.sessions().create("a");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("arm")) {
        armed = true;
        say("ARMED");
      }
    }
    gateway.close();
    engine.close();
    ds.close();
  }

  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Halts the JVM right after the first write once armed (no shutdown hooks, like kill -9). */
  static final class HaltingStore implements SessionStore {
    private final SessionStore delegate;

    HaltingStore(SessionStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<SessionRecord> load(String id) {
      return delegate.load(id);
    }

    @Override
    public void save(SessionRecord record) {
      delegate.save(record);
      if (armed) {
        say("HALT");
        Runtime.getRuntime().halt(137);
      }
    }

    @Override
    public boolean delete(String id) {
      return delegate.delete(id);
    }

    @Override
    public List<SessionRecord> loadAll() {
      return delegate.loadAll();
    }
  }
}
