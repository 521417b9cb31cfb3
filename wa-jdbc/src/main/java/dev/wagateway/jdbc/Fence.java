package dev.wagateway.jdbc;

import dev.wagateway.FencedException;
import dev.wagateway.store.LeaseStore.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The fencing of writes by the lease this process was granted: a fenced statement only changes a
 * row while {@code wa_session_lease} still names this owner with this token, unexpired. Sessions
 * this process never held a lease for are not fenced (one instance alone never takes leases).
 */
final class Fence {
  private final JdbcLeaseStore leases;

  Fence(JdbcLeaseStore leases) {
    this.leases = leases;
  }

  Optional<Lease> of(String sessionId) {
    return leases.granted(sessionId);
  }

  /** The condition, for a statement whose session id is {@code sessionColumn}; binds owner, token, now. */
  static String condition(String sessionColumn) {
    return " AND EXISTS (SELECT 1 FROM wa_session_lease l WHERE l.session_id = " + sessionColumn
        + " AND l.owner = ? AND l.token = ? AND l.expires_at > ?)";
  }

  /** Binds the condition's parameters from index {@code i}; returns the next index. */
  static int bind(PreparedStatement ps, int i, Lease lease, Instant now) throws SQLException {
    ps.setString(i, lease.owner());
    ps.setLong(i + 1, lease.token());
    ps.setLong(i + 2, Codec.nanos(now));
    return i + 3;
  }

  /** Throws when this process held a lease for {@code sessionId} and holds it no longer. */
  void check(Connection c, String sessionId, Instant now) throws SQLException {
    Optional<Lease> lease = of(sessionId);
    if (lease.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM wa_session_lease WHERE session_id = ?"
        + " AND owner = ? AND token = ? AND expires_at > ?")) {
      ps.setString(1, sessionId);
      bind(ps, 2, lease.get(), now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw refused(sessionId, lease.get());
        }
      }
    }
  }

  static FencedException refused(String sessionId, Lease lease) {
    return new FencedException(sessionId, "session " + sessionId + " is no longer owned by instance " + lease.owner()
        + " under lease token " + lease.token() + ": another instance took it over");
  }
}
