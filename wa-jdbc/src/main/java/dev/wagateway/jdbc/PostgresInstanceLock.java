package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
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
  private static final Map<String, Shared> HELD = new HashMap<>();

  private PostgresInstanceLock() {}

  private static final class Shared {
    final Connection connection;
    int holders;

    Shared(Connection connection) {
      this.connection = connection;
    }
  }

  /** One holder's share. */
  static final class Hold implements SqliteFileLock.Releasable {
    private final String key;
    private boolean released;

    private Hold(String key) {
      this.key = key;
    }

    @Override
    public void release() {
      synchronized (HELD) {
        if (released) {
          return;
        }
        released = true;
        Shared s = HELD.get(key);
        if (s != null && --s.holders == 0) {
          HELD.remove(key);
          try {
            s.connection.close(); // ends the session, and with it the advisory lock
          } catch (SQLException ignored) {
            // the connection is gone; so is the lock
          }
        }
      }
    }
  }

  static Hold acquire(DataSource ds) {
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
      synchronized (HELD) {
        Shared s = HELD.get(key);
        if (s == null) {
          try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "wa-gateway|" + where);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (!rs.getBoolean(1)) {
                throw new StoreException("another gateway process uses the PostgreSQL schema " + where
                    + "; until sessions are owned through leases, run one gateway process per schema (or give each"
                    + " its own schema)");
              }
            }
          }
          s = new Shared(c);
          HELD.put(key, s);
          c = null; // kept open by the registry
        }
        s.holders++;
        return new Hold(key);
      }
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
