package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.StoreException;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.store.SessionStore;
import dev.wagateway.store.SessionStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core's SessionStore contract, unchanged, against an SQLite file; and what survives a reopen. */
class SqliteSessionStoreTest extends SessionStoreContract {
  HikariDataSource ds;
  Path dir;

  @Override
  protected SessionStore createStore() throws Exception {
    dir = Files.createTempDirectory("wa-sqlite");
    ds = Databases.sqlite(dir.resolve("wa.db"));
    return JdbcStores.on(ds).migrate().sessionStore();
  }

  @AfterEach
  void close() {
    if (ds != null) {
      ds.close();
    }
  }

  @Test
  void aSessionSurvivesClosingAndReopeningTheFile() {
    Instant t = Instant.parse("2026-12-01T10:15:30.123456789Z");
    SessionRecord r = new SessionRecord("sales", SessionOptions.defaults().withPairing(PairingMethod.phoneCode("+49 170 1234567"))
        .withAutoStart(false), dev.wagateway.jid.Jid.parse("491701234567@s.whatsapp.net"), new byte[] {1, 2, 3}, t, t.plusSeconds(5));
    store.save(r);
    ds.close();
    ds = Databases.sqlite(dir.resolve("wa.db"));
    SessionRecord back = JdbcStores.on(ds).migrate().sessionStore().load("sales").orElseThrow();
    assertThat(back).isEqualTo(r);
    assertThat(back.createdAt()).as("nanoseconds survive").isEqualTo(t);
    assertThat(back.options().pairing()).isInstanceOf(PairingMethod.PhoneCode.class);
    assertThat(((PairingMethod.PhoneCode) back.options().pairing()).phoneNumber()).isEqualTo("491701234567");
    assertThat(back.options().autoStart()).isFalse();
    assertThat(JdbcStores.on(ds).dialect()).isEqualTo(Dialect.SQLITE);
  }

  @Test
  void anUnreachableDatabaseIsAStoreExceptionNamingWhatFailed() {
    SessionStore s = store;
    ds.close();
    assertThatThrownBy(() -> s.load("x")).isInstanceOf(StoreException.class).hasMessageContaining("loading session 'x' failed");
    assertThatThrownBy(s::ping).isInstanceOf(StoreException.class).hasMessageContaining("reaching the session table");
  }
}
