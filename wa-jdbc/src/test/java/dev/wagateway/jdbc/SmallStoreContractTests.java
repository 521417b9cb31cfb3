package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.store.LeaseStore;
import dev.wagateway.store.LeaseStoreContract;
import dev.wagateway.store.SeenIds;
import dev.wagateway.store.SeenIdsContract;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The core's LeaseStore and SeenIds contracts, unchanged, on PostgreSQL (one schema) and SQLite (a file each). */
class SmallStoreContractTests {
  static HikariDataSource pg;

  @BeforeAll
  static void database() {
    pg = Databases.postgres(SmallStoreContractTests.class);
    JdbcStores.shared(pg).migrate();
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
    }
    Databases.dropSchema(SmallStoreContractTests.class);
  }

  /** A fresh SQLite file per test, closed after it. */
  static final class SqliteFile {
    HikariDataSource ds;
    JdbcStores stores;

    JdbcStores open() throws Exception {
      ds = Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
      stores = JdbcStores.shared(ds).migrate();
      return stores;
    }

    void close() {
      stores.close();
      ds.close();
    }
  }

  @Nested
  class LeasesOnPostgres extends LeaseStoreContract {
    @Override
    protected LeaseStore createLeaseStore() throws Exception {
      Databases.truncate(pg, "wa_session_lease");
      return JdbcStores.shared(pg).leaseStore();
    }
  }

  @Nested
  class LeasesOnSqlite extends LeaseStoreContract {
    final SqliteFile file = new SqliteFile();

    @Override
    protected LeaseStore createLeaseStore() throws Exception {
      return file.open().leaseStore();
    }

    @AfterEach
    void close() {
      file.close();
    }
  }

  @Nested
  class SeenIdsOnPostgres extends SeenIdsContract {
    @Override
    protected SeenIds createSeenIds() throws Exception {
      Databases.truncate(pg, "wa_inbound_seen");
      return JdbcStores.shared(pg).seenIds();
    }
  }

  @Nested
  class SeenIdsOnSqlite extends SeenIdsContract {
    final SqliteFile file = new SqliteFile();

    @Override
    protected SeenIds createSeenIds() throws Exception {
      return file.open().seenIds();
    }

    @AfterEach
    void close() {
      file.close();
    }
  }
}
