package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookOutbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A status change and the webhook deliveries its listener appends commit together: another
 * connection sees neither before the commit, and a listener that fails takes both back.
 */
class TransactionalOutboxTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final AtomicInteger IDS = new AtomicInteger();

  static HikariDataSource database(String dialect) throws Exception {
    return dialect.equals("postgresql") ? Databases.postgres(TransactionalOutboxTest.class)
        : Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
  }

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(TransactionalOutboxTest.class);
  }

  static OutboundMessage message() {
    return new OutboundMessage("msg_tx" + IDS.incrementAndGet(),
        MessageRequest.builder().session("s").to("+491701234567").text("hello").build(), T0);
  }

  static WebhookDelivery delivery(OutboundMessage m, String status) {
    return new WebhookDelivery("whd_" + m.id() + "_" + status, "whs_1", "evt_" + m.id() + status, "message.status",
        "s", "{}".getBytes(StandardCharsets.UTF_8), null, WebhookDelivery.Status.PENDING, 0, T0, T0, List.of());
  }

  static long count(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void deliveriesCommitWithTheChangeThatCausedThem(String dialect) throws Exception {
    try (HikariDataSource ds = database(dialect); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      QueueStore queue = stores.queueStore();
      WebhookOutbox outbox = stores.webhookOutbox();
      List<Long> seenFromOutside = new ArrayList<>();
      queue.setChangeListener((m, attempts, change) -> {
        outbox.append(List.of(delivery(m, change.status().name())));
        try {
          // a second connection: the uncommitted message and delivery are invisible to it
          seenFromOutside.add(count(ds, "SELECT COUNT(*) FROM wa_webhook_delivery")
              + count(ds, "SELECT COUNT(*) FROM wa_message"));
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      OutboundMessage m = message();
      queue.enqueue(m, T0, Duration.ofHours(1));
      assertThat(seenFromOutside).containsExactly(0L);
      assertThat(count(ds, "SELECT COUNT(*) FROM wa_webhook_delivery")).isEqualTo(1);
      assertThat(outbox.get("whd_" + m.id() + "_QUEUED")).isPresent();

      queue.claim("s", T0, 1, Duration.ofMinutes(1));
      queue.markSending(m.id(), T0);
      assertThat(seenFromOutside).containsExactly(0L, 2L); // the QUEUED pair only
      assertThat(outbox.get("whd_" + m.id() + "_SENDING")).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void aFailingListenerRollsBackTheChangeAndItsDeliveries(String dialect) throws Exception {
    try (HikariDataSource ds = database(dialect); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      QueueStore queue = stores.queueStore();
      WebhookOutbox outbox = stores.webhookOutbox();
      queue.setChangeListener((m, attempts, change) -> {
        outbox.append(List.of(delivery(m, change.status().name())));
        if (change.status() == dev.wagateway.message.MessageStatus.SENDING) {
          throw new IllegalStateException("listener refused");
        }
      });
      OutboundMessage m = message();
      queue.enqueue(m, T0, Duration.ofHours(1));
      queue.claim("s", T0, 1, Duration.ofMinutes(1));
      assertThatThrownBy(() -> queue.markSending(m.id(), T0)).hasMessage("listener refused");
      var info = queue.get(m.id()).orElseThrow();
      assertThat(info.status()).as("SENDING was rolled back").isEqualTo(dev.wagateway.message.MessageStatus.QUEUED);
      assertThat(info.attempts()).as("so was the attempt count").isZero();
      assertThat(outbox.get("whd_" + m.id() + "_SENDING")).as("and its delivery").isEmpty();
      assertThat(outbox.get("whd_" + m.id() + "_QUEUED")).isPresent();
    }
  }
}
