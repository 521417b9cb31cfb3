package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookOutboxContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's WebhookOutbox contract, unchanged, against a real PostgreSQL. */
class PostgresWebhookOutboxTest extends WebhookOutboxContract {
  static HikariDataSource ds;

  @BeforeAll
  static void database() {
    ds = Databases.postgres(PostgresWebhookOutboxTest.class);
    JdbcStores.on(ds).migrate();
  }

  @AfterAll
  static void close() {
    if (ds != null) {
      ds.close();
    }
    Databases.dropSchema(PostgresWebhookOutboxTest.class);
  }

  @Override
  protected WebhookOutbox createOutbox() throws Exception {
    Databases.truncate(ds, "wa_webhook_delivery");
    return JdbcStores.on(ds).webhookOutbox();
  }
}
