package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One process per SQLite file: an exclusive OS lock on {@code <file>.lock}, taken when the first
 * {@link JdbcStores} of this process opens the file and shared by the others (counted), so a
 * second process is refused with an error that names the file instead of two gateways sending the
 * same queue. The OS frees the lock when the process dies, SIGKILL included.
 */
final class SqliteFileLock {

  private SqliteFileLock() {}

  /** Locks the file behind {@code ds}; null for an in-memory database (nothing to share). */
  static ProcessLocks.@Nullable Share acquire(DataSource ds) {
    Path db = databaseFile(ds);
    if (db == null) {
      return null;
    }
    Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
    return ProcessLocks.share("sqlite|" + lockFile, () -> lock(db, lockFile));
  }

  private static ProcessLocks.Lock lock(Path db, Path lockFile) {
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw new StoreException("the SQLite database " + db + " is in use by another process (it holds "
            + lockFile + "); one gateway process per SQLite file: stop the other one, or use PostgreSQL to run"
            + " several instances");
      }
      FileChannel channel = ch;
      return () -> {
        try {
          lock.release();
          channel.close();
        } catch (IOException ignored) {
          // the channel is gone; the OS lock went with it
        }
      };
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new StoreException("cannot lock the SQLite database " + db + " through " + lockFile + ": " + e, e);
    } catch (StoreException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(@Nullable FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to free
      }
    }
  }

  /** The file of an SQLite DataSource, from the connection's URL; null when it is in memory. */
  static @Nullable Path databaseFile(DataSource ds) {
    String url;
    try (Connection c = ds.getConnection()) {
      url = c.getMetaData().getURL();
    } catch (SQLException e) {
      throw Transactions.failed("reading the SQLite database's file name", e);
    }
    String rest = url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()) : url;
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.contains("mode=memory")) {
      return null;
    }
    return Path.of(rest).toAbsolutePath().normalize();
  }
}
