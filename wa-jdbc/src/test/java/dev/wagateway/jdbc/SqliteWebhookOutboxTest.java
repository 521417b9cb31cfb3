package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookOutboxContract;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;

/** The core's WebhookOutbox contract, unchanged, against an SQLite file. */
class SqliteWebhookOutboxTest extends WebhookOutboxContract {
  HikariDataSource ds;
  JdbcStores stores;

  @Override
  protected WebhookOutbox createOutbox() throws Exception {
    ds = Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
    stores = JdbcStores.on(ds).migrate();
    return stores.webhookOutbox();
  }

  @AfterEach
  void close() {
    stores.close();
    ds.close();
  }
}
