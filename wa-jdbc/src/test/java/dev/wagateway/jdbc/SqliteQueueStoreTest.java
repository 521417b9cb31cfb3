package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.queue.QueueStoreContract;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;

/** The core's QueueStore contract, unchanged, against an SQLite file in WAL mode. */
class SqliteQueueStoreTest extends QueueStoreContract {
  HikariDataSource ds;
  JdbcStores stores;

  @Override
  protected QueueStore createStore() throws Exception {
    ds = Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
    stores = JdbcStores.on(ds).migrate();
    return stores.queueStore();
  }

  @AfterEach
  void close() {
    stores.close();
    ds.close();
  }
}
