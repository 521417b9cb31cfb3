package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.StoreException;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhook.WebhookSubscription;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Webhook subscriptions survive in the database with their secrets and headers sealed. */
class SubscriptionStoreTest {
  static final EncryptionKeys KEYS = EncryptionKeys.of("k1",
      Base64.getEncoder().encodeToString(new byte[32]));
  static final EncryptionKeys OTHER = EncryptionKeys.of("k2",
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));

  static HikariDataSource database(String dialect) throws Exception {
    if (dialect.equals("postgresql")) {
      HikariDataSource ds = Databases.postgres(SubscriptionStoreTest.class);
      return ds;
    }
    return Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
  }

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(SubscriptionStoreTest.class);
  }

  static WebhookSubscription subscription(String id, WebhookSecret secret) {
    return new WebhookSubscription(id, URI.create("https://hooks.example.com/wa?tenant=7"), "sales",
        Set.of("message.status", "message.received"), List.of(secret),
        Map.of("Authorization", "Bearer tok-SECRET-123"), true, SignatureMode.STANDARD, true, 4,
        Instant.parse("2026-12-01T08:00:00.123456789Z"), null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void roundTripsWithSecretsAndHeadersSealed(String dialect) throws Exception {
    try (HikariDataSource ds = database(dialect); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      WebhookSubscriptionStore store = stores.webhookSubscriptionStore(KEYS);
      WebhookSecret secret = WebhookSecret.generate();
      WebhookSubscription s = subscription("whs_1", secret);
      store.save(s);
      assertThat(store.get("whs_1")).contains(s);
      store.save(s.withEnabled(false, "endpoint kept failing"));
      assertThat(store.list()).singleElement().satisfies(back -> {
        assertThat(back.enabled()).isFalse();
        assertThat(back.disabledReason()).isEqualTo("endpoint kept failing");
        assertThat(back.secrets()).containsExactly(secret);
      });

      try (Connection c = ds.getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT definition, secret FROM wa_webhook_subscription")) {
        rs.next();
        String stored = rs.getString(1) + new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
        assertThat(stored).contains("hooks.example.com")
            .doesNotContain(secret.encoded().substring(WebhookSecret.PREFIX.length()))
            .doesNotContain("tok-SECRET-123").doesNotContain("Authorization");
      }

      WebhookSubscriptionStore wrongKey = stores.webhookSubscriptionStore(OTHER);
      assertThatThrownBy(() -> wrongKey.get("whs_1")).isInstanceOf(StoreException.class)
          .hasMessageContaining("key 'k1', which is not configured").hasMessageNotContaining("tok-SECRET");

      assertThat(store.delete("whs_1")).isTrue();
      assertThat(store.delete("whs_1")).isFalse();
      assertThat(store.list()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void aSealedRowMovedToAnotherIdDoesNotOpen(String dialect) throws Exception {
    try (HikariDataSource ds = database(dialect); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      WebhookSubscriptionStore store = stores.webhookSubscriptionStore(KEYS);
      store.save(subscription("whs_a", WebhookSecret.generate()));
      try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
        st.execute("DELETE FROM wa_webhook_subscription WHERE id = 'whs_b'");
        st.execute("INSERT INTO wa_webhook_subscription (id, definition, secret, created_at)"
            + " SELECT 'whs_b', definition, secret, created_at FROM wa_webhook_subscription WHERE id = 'whs_a'");
      }
      assertThatThrownBy(() -> store.get("whs_b")).isInstanceOf(StoreException.class)
          .hasMessageContaining("whs_b").hasMessageContaining("altered");
      store.delete("whs_a");
      store.delete("whs_b");
    }
  }
}
