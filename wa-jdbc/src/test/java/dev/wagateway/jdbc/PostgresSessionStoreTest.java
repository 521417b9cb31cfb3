package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.store.SessionStore;
import dev.wagateway.store.SessionStoreContract;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core's SessionStore contract, unchanged, against a real PostgreSQL. */
class PostgresSessionStoreTest extends SessionStoreContract {
  static HikariDataSource ds;
  static JdbcStores stores;

  @BeforeAll
  static void database() {
    ds = Databases.postgres(PostgresSessionStoreTest.class);
    stores = JdbcStores.on(ds).migrate();
  }

  @AfterAll
  static void close() {
    if (ds != null) {
      ds.close();
    }
    Databases.dropSchema(PostgresSessionStoreTest.class);
  }

  @Override
  protected SessionStore createStore() throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM wa_session");
    }
    return stores.sessionStore();
  }

  @Test
  void theDialectIsReadFromTheDatabaseAndMigrationsAreIdempotent() {
    assertThat(stores.dialect()).isEqualTo(Dialect.POSTGRESQL);
    JdbcStores.on(ds).migrate(); // a second run applies nothing and fails nothing
    store.ping();
  }
}
