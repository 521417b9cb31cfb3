package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.store.SeenIds;
import dev.wagateway.store.SeenIdsContract;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The core's SeenIds contract, unchanged, on PostgreSQL and SQLite. */
class SeenIdsTests {

  @Nested
  class Postgres extends SeenIdsContract {
    @Override
    protected SeenIds createSeenIds() throws Exception {
      Databases.truncate(pg, "wa_inbound_seen");
      return JdbcStores.shared(pg).seenIds();
    }
  }

  @Nested
  class Sqlite extends SeenIdsContract {
    HikariDataSource ds;
    JdbcStores stores;

    @Override
    protected SeenIds createSeenIds() throws Exception {
      ds = Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
      stores = JdbcStores.shared(ds).migrate();
      return stores.seenIds();
    }

    @AfterEach
    void close() {
      stores.close();
      ds.close();
    }
  }

  static HikariDataSource pg;

  @BeforeAll
  static void database() {
    pg = Databases.postgres(SeenIdsTests.class);
    JdbcStores.shared(pg).migrate();
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
    }
    Databases.dropSchema(SeenIdsTests.class);
  }
}
