package dev.wagateway.jdbc;

import dev.wagateway.webhook.DeliveryAttempt;
import dev.wagateway.webhook.DeliveryFilter;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link WebhookOutbox} on table {@code wa_webhook_delivery} (see V3__webhooks.sql). An append made
 * while the queue store of the same {@link JdbcStores} is telling its listener about a change joins
 * that transaction: the change and its deliveries are stored together or not at all.
 */
final class JdbcWebhookOutbox implements WebhookOutbox {
  private static final String COLUMNS = "id, subscription_id, event_id, event_type, session_id, payload,"
      + " ordering_key, status, attempts, created_at, next_attempt_at, log, seq";
  /** No older unfinished delivery with the same ordering key. */
  private static final String IS_HEAD = " AND (d.ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM"
      + " wa_webhook_delivery o WHERE o.ordering_key = d.ordering_key AND o.status IN ('PENDING', 'IN_FLIGHT')"
      + " AND o.seq < d.seq))";
  private static final Comparator<Row> DUE_ORDER =
      Comparator.comparing((Row r) -> r.d.nextAttemptAt()).thenComparingLong(r -> r.seq);

  private final Transactions tx;
  private final boolean pg;
  private final String nextSeq;

  JdbcWebhookOutbox(Transactions tx) {
    this.tx = tx;
    this.pg = tx.dialect() == Dialect.POSTGRESQL;
    this.nextSeq = pg ? "nextval('wa_webhook_seq')" : "(SELECT COALESCE(MAX(seq), 0) + 1 FROM wa_webhook_delivery)";
  }

  private record Row(WebhookDelivery d, long seq) {}

  @Override
  public void append(List<WebhookDelivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    tx.write("appending " + deliveries.size() + " webhook deliveries", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_webhook_delivery (id, seq, subscription_id,"
          + " event_id, event_type, session_id, payload, ordering_key, status, attempts, created_at, next_attempt_at)"
          + " VALUES (?, " + nextSeq + ", ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        for (WebhookDelivery d : deliveries) {
          ps.setString(1, d.id());
          ps.setString(2, d.subscriptionId());
          ps.setString(3, d.eventId());
          ps.setString(4, d.eventType());
          ps.setString(5, d.sessionId());
          ps.setBytes(6, d.payload());
          ps.setString(7, d.orderingKey());
          ps.setLong(8, Codec.nanos(d.createdAt()));
          ps.setLong(9, Codec.nanos(d.nextAttemptAt()));
          if (deliveries.size() == 1) {
            ps.executeUpdate();
          } else {
            ps.addBatch();
          }
        }
        if (deliveries.size() > 1) {
          ps.executeBatch();
        }
      }
      return null;
    });
  }

  @Override
  public List<WebhookDelivery> claim(Instant now, int max, Duration lease) {
    String pick = "SELECT d.id FROM wa_webhook_delivery d WHERE d.status = 'PENDING' AND d.next_attempt_at <= ?"
        + IS_HEAD + " ORDER BY d.next_attempt_at, d.seq LIMIT ?" + (pg ? " FOR UPDATE SKIP LOCKED" : "");
    return tx.single("claiming webhook deliveries", c -> {
      List<Row> rows = rows(c, "UPDATE wa_webhook_delivery SET status = 'IN_FLIGHT', lease_until = ? WHERE id IN ("
          + pick + ") RETURNING " + COLUMNS, Codec.nanos(now.plus(lease)), Codec.nanos(now), max);
      rows.sort(DUE_ORDER); // RETURNING has no order of its own
      return rows.stream().map(Row::d).toList();
    });
  }

  private static List<Row> rows(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Codec.bind(ps, args);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(new WebhookDelivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getBytes(6), rs.getString(7), WebhookDelivery.Status.valueOf(rs.getString(8)),
              rs.getInt(9), Codec.instant(rs.getLong(10)), Codec.instant(rs.getLong(11)),
              Codec.attempts(rs.getString(12))), rs.getLong(13)));
        }
      }
      return out;
    }
  }

  private int update(String what, String sql, Object... args) {
    return tx.single(what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Codec.bind(ps, args);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void release(String id, Instant at) {
    update("releasing webhook delivery " + id, "UPDATE wa_webhook_delivery SET status = 'PENDING',"
        + " lease_until = NULL, next_attempt_at = ? WHERE id = ? AND status = 'IN_FLIGHT'", at, id);
  }

  /** Records an attempt on an IN_FLIGHT delivery and moves it to {@code status}. */
  private void record(String id, String status, @Nullable Instant next, DeliveryAttempt attempt) {
    String sql = "UPDATE wa_webhook_delivery SET status = ?, attempts = attempts + 1, lease_until = NULL,"
        + " log = log || ?" + (next == null ? "" : ", next_attempt_at = ?") + " WHERE id = ? AND status = 'IN_FLIGHT'";
    if (next == null) {
      update("recording a webhook attempt", sql, status, Codec.line(attempt), id);
    } else {
      update("recording a webhook attempt", sql, status, Codec.line(attempt), next, id);
    }
  }

  @Override
  public void delivered(String id, DeliveryAttempt attempt) {
    record(id, "DELIVERED", null, attempt);
  }

  @Override
  public void retry(String id, DeliveryAttempt attempt, Instant nextAttemptAt) {
    record(id, "PENDING", nextAttemptAt, attempt);
  }

  @Override
  public void dead(String id, DeliveryAttempt attempt) {
    record(id, "DEAD", null, attempt);
  }

  @Override
  public Optional<WebhookDelivery> get(String id) {
    return tx.read("reading webhook delivery " + id, c -> {
      List<Row> rows = rows(c, "SELECT " + COLUMNS + " FROM wa_webhook_delivery WHERE id = ?", id);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).d);
    });
  }

  @Override
  public List<WebhookDelivery> list(DeliveryFilter f) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM wa_webhook_delivery WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.subscriptionId() != null) {
      sql.append(" AND subscription_id = ?");
      args.add(f.subscriptionId());
    }
    if (f.status() != null) {
      sql.append(" AND status = ?");
      args.add(f.status().name());
    }
    if (f.since() != null) {
      sql.append(" AND created_at >= ?");
      args.add(Codec.nanos(f.since()));
    }
    sql.append(" ORDER BY created_at DESC, seq DESC LIMIT ").append(f.limit());
    return tx.read("listing webhook deliveries",
        c -> rows(c, sql.toString(), args.toArray()).stream().map(Row::d).toList());
  }

  @Override
  public boolean replay(String id, Instant now) {
    return update("replaying webhook delivery " + id, "UPDATE wa_webhook_delivery SET status = 'PENDING',"
        + " next_attempt_at = ?, seq = " + nextSeq + " WHERE id = ? AND status IN ('DELIVERED', 'DEAD')", now, id) > 0;
  }

  @Override
  public int wake(String subscriptionId, Instant now) {
    return update("waking the deliveries of subscription " + subscriptionId, "UPDATE wa_webhook_delivery"
        + " SET next_attempt_at = ? WHERE subscription_id = ? AND status = 'PENDING' AND next_attempt_at > ?",
        now, subscriptionId, now);
  }

  @Override
  public int requeueLeases(Instant leasedUntil, Instant dueAt) {
    return update("requeueing expired webhook leases", "UPDATE wa_webhook_delivery SET status = 'PENDING',"
        + " lease_until = NULL, next_attempt_at = ? WHERE status = 'IN_FLIGHT' AND lease_until <= ?", dueAt,
        leasedUntil);
  }

  @Override
  public Map<WebhookDelivery.Status, Long> counts() {
    return tx.read("counting webhook deliveries", c -> {
      Map<WebhookDelivery.Status, Long> out = new EnumMap<>(WebhookDelivery.Status.class);
      for (WebhookDelivery.Status s : WebhookDelivery.Status.values()) {
        out.put(s, 0L);
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT status, COUNT(*) FROM wa_webhook_delivery GROUP BY status"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(WebhookDelivery.Status.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      return out;
    });
  }

  @Override
  public int pruneDelivered(Instant cutoff) {
    return update("pruning delivered webhooks",
        "DELETE FROM wa_webhook_delivery WHERE status = 'DELIVERED' AND created_at < ?", cutoff);
  }

  @Override
  public void ping() {
    tx.ping("wa_webhook_delivery", "the webhook outbox");
  }
}
