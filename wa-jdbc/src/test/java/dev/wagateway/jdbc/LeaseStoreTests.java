package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.store.LeaseStore;
import dev.wagateway.store.LeaseStoreContract;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The core's LeaseStore contract, unchanged, on PostgreSQL and SQLite. */
class LeaseStoreTests {

  @Nested
  class Postgres extends LeaseStoreContract {
    @Override
    protected LeaseStore createLeaseStore() throws Exception {
      Databases.truncate(pg, "wa_session_lease");
      return JdbcStores.shared(pg).leaseStore();
    }
  }

  @Nested
  class Sqlite extends LeaseStoreContract {
    HikariDataSource ds;
    JdbcStores stores;

    @Override
    protected LeaseStore createLeaseStore() throws Exception {
      ds = Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
      stores = JdbcStores.shared(ds).migrate();
      return stores.leaseStore();
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
    pg = Databases.postgres(LeaseStoreTests.class);
    JdbcStores.shared(pg).migrate();
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
    }
    Databases.dropSchema(LeaseStoreTests.class);
  }
}
