package dev.wagateway.jdbc;

import dev.wagateway.store.SeenIds;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/** {@link SeenIds} on table {@code wa_inbound_seen}: one autocommit statement per call. */
final class JdbcSeenIds implements SeenIds {
  private final Transactions tx;

  JdbcSeenIds(Transactions tx) {
    this.tx = tx;
  }

  @Override
  public boolean contains(String key, Instant now) {
    SeenIds.checkKey(key);
    return tx.read("looking up a seen inbound id", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM wa_inbound_seen WHERE seen_key = ? AND expires_at > ?")) {
        ps.setString(1, key);
        ps.setLong(2, Codec.nanos(now));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public void remember(String key, Instant expiresAt) {
    SeenIds.checkKey(key);
    tx.single("remembering a seen inbound id", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_inbound_seen (seen_key, expires_at) VALUES (?, ?)"
          + " ON CONFLICT (seen_key) DO UPDATE SET expires_at = excluded.expires_at"
          + " WHERE wa_inbound_seen.expires_at < excluded.expires_at")) {
        ps.setString(1, key);
        ps.setLong(2, Codec.nanos(expiresAt));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public int purgeExpired(Instant now) {
    return tx.single("purging expired inbound ids", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM wa_inbound_seen WHERE expires_at <= ?")) {
        ps.setLong(1, Codec.nanos(now));
        return ps.executeUpdate();
      }
    });
  }
}
