package dev.wagateway.jdbc;

import dev.wagateway.store.LeaseStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LeaseStore} on table {@code wa_session_lease}: one atomic upsert takes, renews or takes
 * over a lease. It also remembers the last lease this process was granted per session, expired or
 * lost ones included, which is what the fenced statements of the queue and session stores check
 * against the table: once another instance took the session, the token no longer matches.
 */
final class JdbcLeaseStore implements LeaseStore {
  private final Transactions tx;
  private final ConcurrentHashMap<String, Lease> granted = new ConcurrentHashMap<>();

  JdbcLeaseStore(Transactions tx) {
    this.tx = tx;
  }

  /** The lease this process was last granted for {@code sessionId} (it may have been lost since). */
  Optional<Lease> granted(String sessionId) {
    return Optional.ofNullable(granted.get(sessionId));
  }

  @Override
  public Optional<Lease> acquire(String sessionId, String owner, Instant now, Duration ttl) {
    Optional<Lease> got = tx.single("taking the lease of session " + sessionId, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_session_lease (session_id, owner, token, expires_at)"
          + " VALUES (?, ?, 1, ?) ON CONFLICT (session_id) DO UPDATE SET"
          + " token = CASE WHEN wa_session_lease.owner = excluded.owner THEN wa_session_lease.token"
          + " ELSE wa_session_lease.token + 1 END, owner = excluded.owner, expires_at = excluded.expires_at"
          + " WHERE wa_session_lease.owner = excluded.owner OR wa_session_lease.expires_at <= ?"
          + " RETURNING owner, token, expires_at")) {
        ps.setString(1, sessionId);
        ps.setString(2, owner);
        ps.setLong(3, Codec.nanos(now.plus(ttl)));
        ps.setLong(4, Codec.nanos(now));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Lease(sessionId, rs.getString(1), rs.getLong(2),
              Codec.instant(rs.getLong(3)))) : Optional.<Lease>empty();
        }
      }
    });
    got.ifPresent(l -> granted.put(sessionId, l));
    return got;
  }

  @Override
  public void release(String sessionId, String owner, long token) {
    tx.single("releasing the lease of session " + sessionId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE wa_session_lease SET expires_at = 0"
          + " WHERE session_id = ? AND owner = ? AND token = ?")) {
        ps.setString(1, sessionId);
        ps.setString(2, owner);
        ps.setLong(3, token);
        return ps.executeUpdate();
      }
    });
    granted.remove(sessionId);
  }

  @Override
  public Optional<Lease> get(String sessionId) {
    List<Lease> l = select(" WHERE session_id = ?", sessionId);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  @Override
  public List<Lease> list() {
    return select(" ORDER BY session_id");
  }

  private List<Lease> select(String where, String... args) {
    return tx.read("reading session leases", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT session_id, owner, token, expires_at FROM wa_session_lease" + where)) {
        Codec.bind(ps, (Object[]) args);
        List<Lease> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Lease(rs.getString(1), rs.getString(2), rs.getLong(3), Codec.instant(rs.getLong(4))));
          }
        }
        return out;
      }
    });
  }
}
