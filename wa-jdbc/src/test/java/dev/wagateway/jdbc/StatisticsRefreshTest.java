package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.QueueStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL keeps a prepared statement's generic plan until the table's statistics change. On a
 * young queue table that plan is a sequential scan, which stays as the table grows; the store
 * refreshes the statistics once it has accepted 1,000 messages, so marks by id use the primary key.
 */
class StatisticsRefreshTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  /** The shape of the dispatcher's marks: ids as one array parameter. */
  static final String MARK = "UPDATE wa_message SET attempts = attempts + 1 WHERE id = ANY($1) AND status = 'QUEUED'";

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(StatisticsRefreshTest.class);
  }

  static String genericPlan(HikariDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE mark_probe(text[]) AS " + MARK);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE mark_probe('{msg_x}')")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      } finally {
        s.execute("DEALLOCATE mark_probe");
        s.execute("RESET plan_cache_mode");
      }
      return plan.toString();
    }
  }

  static long analyzeCount(HikariDataSource ds) throws SQLException {
    return TransactionalOutboxTest.count(ds, "SELECT analyze_count FROM pg_stat_user_tables"
        + " WHERE relname = 'wa_message' AND schemaname = current_schema()");
  }

  @Test
  void afterAThousandAcceptedMessagesMarksByIdArePlannedOnThePrimaryKey() throws Exception {
    try (HikariDataSource ds = Databases.postgres(StatisticsRefreshTest.class);
        JdbcStores stores = JdbcStores.on(ds).migrate()) {
      QueueStore store = stores.queueStore();
      assertThat(genericPlan(ds)).as("the trap: a young table's generic plan").contains("Seq Scan");
      long before = analyzeCount(ds);

      for (int batch = 0; batch < 11; batch++) {
        List<OutboundMessage> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          messages.add(new OutboundMessage("msg_st" + batch + "_" + i, MessageRequest.builder().session("s")
              .to("+4917" + String.format("%08d", batch * 100 + i)).text("hello").build(), T0));
        }
        store.enqueueAll(messages, T0, Duration.ofHours(1));
        if (batch == 8) {
          assertThat(analyzeCount(ds)).as("not before 1,000").isEqualTo(before);
        }
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> analyzeCount(ds) > before);
      assertThat(genericPlan(ds)).contains("wa_message_pkey").doesNotContain("Seq Scan");
    }
  }
}
