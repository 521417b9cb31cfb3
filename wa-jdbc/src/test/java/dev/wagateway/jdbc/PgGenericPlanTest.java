package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.QueueStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's per-message statements, and its batches, keep one generic plan on PostgreSQL. When the server
 * cannot tell a generic plan's cost from the parameters (an array parameter's length), it plans the
 * statement anew at every call; in the queue benchmark that planning was a sixth of the server's
 * CPU, because markSending's "= ANY(?)" and markSentAll's unnest of arrays were custom-planned for
 * almost every message. One id or one ack now goes as plain parameters, and a batch's
 * statement forces the generic plan for its transaction. This reads the server's own
 * counts (pg_prepared_statements, per connection) after messages claimed, marked SENDING and SENT
 * alone and in batches, on a table with statistics.
 */
class PgGenericPlanTest {
  static HikariDataSource ds;
  static JdbcStores stores;

  @BeforeAll
  static void open() throws SQLException {
    ds = Databases.postgres(PgGenericPlanTest.class);
    stores = JdbcStores.on(ds).migrate();
    // a table the size of a working queue, with statistics: on a small one without them the server
    // costs a generic plan of "= ANY(?)" like a custom one and kept it even before the change
    Instant now = Instant.now();
    List<OutboundMessage> bulk = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      bulk.add(new OutboundMessage("bulk_" + i,
          MessageRequest.builder().session("s2").to("+4917200" + (10_000 + i)).text("bulk").build(), now));
    }
    stores.queueStore().enqueueAll(bulk, now, Duration.ofHours(1));
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE wa_message");
    }
  }

  @AfterAll
  static void close() {
    if (stores != null) {
      stores.close();
    }
    if (ds != null) {
      ds.close();
    }
    Databases.dropSchema(PgGenericPlanTest.class);
  }

  /** Generic and custom plans per statement text (whitespace folded), summed over the pool's idle connections. */
  static Map<String, long[]> plans() throws SQLException {
    Map<String, long[]> plans = new LinkedHashMap<>();
    List<Connection> held = new ArrayList<>();
    try {
      // the idle ones (the others are the stores' own); a held connection is not handed out again
      for (int i = ds.getHikariPoolMXBean().getIdleConnections(); i > 0; i--) {
        held.add(ds.getConnection());
      }
      for (Connection c : held) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
            "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements")) {
          while (rs.next()) {
            long[] n = plans.computeIfAbsent(rs.getString(3).replaceAll("\\s+", " "), k -> new long[2]);
            n[0] += rs.getLong(1);
            n[1] += rs.getLong(2);
          }
        }
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    return plans;
  }

  static long[] plansOf(Map<String, long[]> plans, String... fragments) {
    long[] sum = new long[2];
    plans.forEach((statement, n) -> {
      for (String f : fragments) {
        if (!statement.contains(f)) {
          return;
        }
      }
      sum[0] += n[0];
      sum[1] += n[1];
    });
    return sum;
  }

  /**
   * The statement whose text holds every fragment ran more than {@code minimum} times on the server
   * and was planned anew at most 10 of them: pgjdbc prepares a statement on the server from its 5th
   * execution on a connection, and the server then tries 5 custom plans before it may settle on the
   * generic one.
   */
  static void assertPlannedOnce(Map<String, long[]> plans, String what, int minimum, String... fragments) {
    long[] n = plansOf(plans, fragments);
    assertThat(n[0] + n[1]).as("%s executions seen by the server", what).isGreaterThan(minimum);
    assertThat(n[1]).as("custom plans of %s (generic: %d)", what, n[0]).isLessThanOrEqualTo(10);
  }

  @Test
  void theStatementsOfOneMessageArePlannedOnceNotAtEveryCall() throws SQLException {
    QueueStore store = stores.queueStore();
    Instant now = Instant.now();
    int messages = 40;
    for (int i = 0; i < messages; i++) {
      OutboundMessage m = new OutboundMessage("plan_" + i,
          MessageRequest.builder().session("s1").to("+4917100" + (1000 + i)).text("plan " + i).build(), now);
      store.enqueue(m, now, Duration.ofHours(1));
      List<QueueStore.Claimed> claimed = store.claim("s1", now, 32, Duration.ofMinutes(1));
      assertThat(claimed).extracting(QueueStore.Claimed::id).containsExactly(m.id());
      assertThat(store.markSending(m.id(), now)).isPresent();
      assertThat(store.markSentAll(List.of(new QueueStore.Ack(m.id(), "P." + i, now)))).allMatch(o -> o.isPresent());
    }
    Map<String, long[]> plans = plans();
    assertPlannedOnce(plans, "markSending", messages / 2, "status = 'SENDING'", "IN ($3)");
    assertPlannedOnce(plans, "markSentAll with one ack", messages / 2, "status = 'SENT'", "$1 AS id");
    assertPlannedOnce(plans, "the claim", messages / 2, "SET state = 'A'");
  }

  @Test
  void batchesOfIdsAndAcksArePlannedOnceToo() throws SQLException {
    QueueStore store = stores.queueStore();
    Instant now = Instant.now();
    int batches = 30;
    for (int b = 0; b < batches; b++) {
      List<String> ids = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        OutboundMessage m = new OutboundMessage("batch_" + b + "_" + k, MessageRequest.builder().session("s3")
            .to("+4917300" + (1000 + k)).text("batch " + b).build(), now);
        store.enqueue(m, now, Duration.ofHours(1));
        ids.add(m.id());
      }
      List<QueueStore.Claimed> claimed = store.claim("s3", now, 32, Duration.ofMinutes(1));
      assertThat(claimed).extracting(QueueStore.Claimed::id).containsExactlyElementsOf(ids);
      assertThat(store.markSending(ids.get(0), now)).isPresent();
      assertThat(store.markSendingAll(ids.subList(1, 3), now)).hasSize(2).allMatch(o -> o.isPresent());
      assertThat(store.markSentAll(ids.stream().map(id -> new QueueStore.Ack(id, "P." + id, now)).toList()))
          .hasSize(3).allMatch(o -> o.isPresent());
      assertThat(store.get(ids.get(2))).hasValueSatisfying(i -> assertThat(i.status()).isEqualTo(MessageStatus.SENT));
    }
    Map<String, long[]> plans = plans();
    assertPlannedOnce(plans, "markSendingAll", batches / 2, "status = 'SENDING'", "ANY($3)");
    assertPlannedOnce(plans, "markSentAll", batches / 2, "status = 'SENT'", "unnest(");
  }
}
