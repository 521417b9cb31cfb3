package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One gateway process per PostgreSQL schema, until sessions are owned through leases: a gateway
 * that starts frees every message lease it finds (they can only be from a process that died), so a
 * second live process on the same schema would send messages twice. The first {@link JdbcStores}
 * of a process takes a session-level advisory lock on a connection it keeps; a second process is
 * refused with an error that says so. PostgreSQL frees the lock when that connection ends,
 * including when the process is killed.
 */
final class PostgresInstanceLock {

  private PostgresInstanceLock() {}

  static ProcessLocks.Share acquire(DataSource ds) {
    Connection c = null;
    try {
      c = ds.getConnection();
      c.setAutoCommit(true);
      String where;
      try (PreparedStatement ps = c.prepareStatement("SELECT current_database() || '.' || current_schema()");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        where = rs.getString(1);
      }
      String key = c.getMetaData().getURL().replaceAll("[?].*$", "") + "|" + where;
      Connection held = c;
      boolean[] kept = {false};
      ProcessLocks.Share share = ProcessLocks.share(key, () -> {
        try (PreparedStatement ps = held.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
          ps.setString(1, "wa-gateway|" + where);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
              throw new StoreException("another gateway process uses the PostgreSQL schema " + where
                  + "; until sessions are owned through leases, run one gateway process per schema (or give each"
                  + " its own schema)");
            }
          }
        } catch (SQLException e) {
          throw Transactions.failed("taking the gateway's instance lock", e);
        }
        kept[0] = true;
        return () -> {
          try {
            held.close(); // ends the session, and with it the advisory lock
          } catch (SQLException ignored) {
            // the connection is gone; so is the lock
          }
        };
      });
      if (kept[0]) {
        c = null; // the lock's connection, closed when the last share is released
      }
      return share;
    } catch (SQLException e) {
      throw Transactions.failed("taking the gateway's instance lock", e);
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // nothing more to free
        }
      }
    }
  }
}
