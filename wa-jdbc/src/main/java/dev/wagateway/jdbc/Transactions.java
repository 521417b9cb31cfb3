package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Transactions shared by the stores of one {@link JdbcStores}. A write started while this thread is
 * already inside one joins it: the queue store tells its change listener inside its transaction,
 * the listener publishes the event, and the webhook outbox appends the deliveries on the same
 * connection, so the status change and the deliveries it causes commit or roll back together.
 *
 * <p>On SQLite every write takes one process-wide writer lock first (SQLite has one writer per
 * file; waiting here is fairer and cheaper than spinning on SQLITE_BUSY). On PostgreSQL writers run
 * in parallel and rows are locked with {@code FOR UPDATE [SKIP LOCKED]}.
 */
final class Transactions {

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource ds;
  private final Dialect dialect;
  private final @Nullable ReentrantLock writer;
  private final ThreadLocal<@Nullable Connection> current = new ThreadLocal<>();

  Transactions(DataSource ds, Dialect dialect) {
    this.ds = ds;
    this.dialect = dialect;
    this.writer = dialect == Dialect.SQLITE ? new ReentrantLock() : null;
  }

  Dialect dialect() {
    return dialect;
  }

  /** Whether this thread is inside a transaction of these stores (a write would join it). */
  boolean inTransaction() {
    return current.get() != null;
  }

  /** Runs {@code work} in a transaction (this thread's current one, if any); commits on return. */
  <T> T write(String what, Work<T> work) {
    if (current.get() != null) {
      return read(what, work);
    }
    return asWriter(what, c -> {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      current.set(c);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        current.remove();
        c.setAutoCommit(auto);
      }
    });
  }

  /**
   * Runs one statement that tells no listener: in this thread's transaction if it has one, else in
   * autocommit (one round trip fewer than BEGIN … COMMIT). On SQLite it still takes the writer lock.
   */
  <T> T single(String what, Work<T> work) {
    if (current.get() != null) {
      return read(what, work);
    }
    return asWriter(what, c -> {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    });
  }

  /** Runs {@code work} on a connection of its own, holding the writer lock on SQLite. */
  private <T> T asWriter(String what, Work<T> work) {
    if (writer != null) {
      writer.lock();
    }
    try (Connection c = ds.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed(what, e);
    } finally {
      if (writer != null) {
        writer.unlock();
      }
    }
  }

  /** Runs {@code work} on this thread's transaction if it has one, else on a connection of its own. */
  <T> T read(String what, Work<T> work) {
    Connection joined = current.get();
    try {
      if (joined != null) {
        return work.run(joined);
      }
      try (Connection c = ds.getConnection()) {
        return work.run(c);
      }
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  /** Throws a StoreException ("reaching {@code what} failed: …") when {@code table} cannot be read now. */
  void ping(String table, String what) {
    read("reaching " + what, c -> {
      try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE 1 = 0");
          java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** A store failure that names what failed and the database's own words, never a value. */
  static StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
  }
}
