package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's per-message statements keep one generic plan on PostgreSQL. When the server
 * cannot tell a generic plan's cost from the parameters (an array parameter's length), it plans the
 * statement anew at every call; in the queue benchmark that planning was a fifth of the server's
 * CPU, because markSending's "= ANY(?)" and markSentAll's unnest of arrays were custom-planned for
 * almost every message. One id or one ack now goes as plain parameters. This reads the server's own
 * counts (pg_prepared_statements, per connection) after 40 messages, each claimed, marked SENDING and
 * SENT alone.
 */
class PgGenericPlanTest {
  static HikariDataSource ds;
  static JdbcStores stores;

  @BeforeAll
  static void open() {
    ds = Databases.postgres(PgGenericPlanTest.class);
    stores = JdbcStores.on(ds).migrate();
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

  /** Generic and custom plans per statement (its first 60 characters), summed over the pool's idle connections. */
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

  @Test
  void theStatementsOfOneMessageArePlannedOnceNotAtEveryCall() throws SQLException {
    QueueStore store = stores.queueStore();
    Instant now = Instant.now();
    // a table the size of a working queue, with statistics: on a small one without them the server
    // costs a generic plan of "= ANY(?)" like a custom one and kept it even before the change
    List<OutboundMessage> bulk = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      bulk.add(new OutboundMessage("bulk_" + i,
          MessageRequest.builder().session("s2").to("+4917200" + (10_000 + i)).text("bulk").build(), now));
    }
    store.enqueueAll(bulk, now, Duration.ofHours(1));
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("ANALYZE wa_message");
    }
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
    long[] sending = plansOf(plans, "status = 'SENDING'");
    long[] sent = plansOf(plans, "status = 'SENT'");
    long[] claim = plansOf(plans, "SET state = 'A'");
    // pgjdbc prepares a statement on the server from its 5th execution on a connection; the server
    // then tries 5 custom plans before it may settle on the generic one
    assertThat(sending[0] + sending[1]).as("markSending executions seen by the server").isGreaterThan(messages / 2);
    assertThat(sending[1]).as("custom plans of markSending (generic: %d)", sending[0]).isLessThanOrEqualTo(10);
    assertThat(sent[0] + sent[1]).as("markSentAll executions seen by the server").isGreaterThan(messages / 2);
    assertThat(sent[1]).as("custom plans of markSentAll with one ack (generic: %d)", sent[0]).isLessThanOrEqualTo(10);
    assertThat(claim[1]).as("custom plans of the claim (generic: %d)", claim[0]).isLessThanOrEqualTo(10);
  }
}
