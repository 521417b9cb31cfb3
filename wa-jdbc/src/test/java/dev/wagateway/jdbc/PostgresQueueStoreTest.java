package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.queue.QueueStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's QueueStore contract, unchanged, against a real PostgreSQL (a schema of its own). */
class PostgresQueueStoreTest extends QueueStoreContract {
  static HikariDataSource ds;

  @BeforeAll
  static void database() {
    ds = Databases.postgres(PostgresQueueStoreTest.class);
    JdbcStores.on(ds).migrate();
  }

  @AfterAll
  static void close() {
    if (ds != null) {
      ds.close();
    }
    Databases.dropSchema(PostgresQueueStoreTest.class);
  }

  @Override
  protected QueueStore createStore() throws Exception {
    Databases.truncate(ds, "wa_message", "wa_idempotency");
    return JdbcStores.on(ds).queueStore();
  }
}
