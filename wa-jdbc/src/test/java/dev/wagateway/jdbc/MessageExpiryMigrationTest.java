package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.queue.QueueStore;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The migration that adds {@code wa_message.expires_at} fills it from the requests of the messages
 * still waiting or claimed, so a claim after an upgrade does not mark an expired message SENDING.
 */
class MessageExpiryMigrationTest {
  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  static final Instant EXPIRY = Instant.parse("2026-12-01T09:10:00.123Z");

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(MessageExpiryMigrationTest.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void rowsFromBeforeTheColumnGetTheirRequestsExpiry(String dialect) throws Exception {
    boolean pg = dialect.equals("postgresql");
    try (HikariDataSource ds = pg ? Databases.postgres(MessageExpiryMigrationTest.class)
        : Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"))) {
      // the schema as it was before the column
      Flyway.configure().dataSource(ds).locations((pg ? Dialect.POSTGRESQL : Dialect.SQLITE).migrations())
          .table("wa_schema_history").baselineOnMigrate(true).baselineVersion("0").target(pg ? "6" : "5")
          .load().migrate();
      MessageRequest expiring = MessageRequest.builder().session("s").to("+491701111111").text("x")
          .expiresAt(EXPIRY).build();
      MessageRequest lasting = MessageRequest.builder().session("s").to("+491702222222").text("y").build();
      MessageRequest sentLongAgo = MessageRequest.builder().session("s").to("+491703333333").text("z")
          .expiresAt(EXPIRY).build();
      try (Connection c = ds.getConnection()) {
        insertOld(c, "m-expiring", 1, expiring, 'W', "QUEUED");
        insertOld(c, "m-lasting", 2, lasting, 'W', "QUEUED");
        insertOld(c, "m-sent", 3, sentLongAgo, 'F', "SENT");
      }

      try (JdbcStores stores = JdbcStores.on(ds).migrate()) {
        Map<String, Long> expiries = new HashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT id, expires_at FROM wa_message"); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String id = rs.getString(1);
            long v = rs.getLong(2);
            expiries.put(id, rs.wasNull() ? null : v);
          }
        }
        assertThat(expiries).containsEntry("m-expiring", Codec.nanos(EXPIRY)).containsEntry("m-lasting", null)
            .as("finished messages are left alone").containsEntry("m-sent", null);

        QueueStore q = stores.queueStore();
        var claimed = q.claimFirstSending("s", EXPIRY, 10, Duration.ofMinutes(1), Set.of());
        assertThat(claimed).extracting(QueueStore.Claimed::id).containsExactly("m-expiring", "m-lasting");
        assertThat(claimed.get(0).sending()).as("expired at the claim").isFalse();
        assertThat(q.get("m-expiring").orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
        q.release("m-expiring", T0);
        q.release("m-lasting", T0);
        claimed = q.claimFirstSending("s", EXPIRY.minusMillis(1), 10, Duration.ofMinutes(1), Set.of());
        assertThat(claimed.get(0).sending()).as("a millisecond before its expiry").isTrue();
      }
    }
  }

  /** A row as the enqueue of the earlier schema wrote it (no expires_at). */
  private static void insertOld(Connection c, String id, long seq, MessageRequest r, char state, String status)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_message (id, seq, session_id, recipient,"
        + " priority, request, created_at, state, status, attempts, available_at, history)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '')")) {
      Codec.bind(ps, id, seq, r.sessionId(), r.to().asString(), r.priority().ordinal(), Codec.request(r), T0,
          String.valueOf(state), status, T0);
      ps.executeUpdate();
    }
  }
}
