package dev.wagateway.jdbc;

import java.util.HashMap;
import java.util.Map;

/**
 * Locks held once per process and shared by every {@link JdbcStores} of it (counted): the first
 * holder opens the lock, the last one to release frees it.
 */
final class ProcessLocks {
  private static final Map<String, Entry> HELD = new HashMap<>();

  private ProcessLocks() {}

  /** A lock as the operating system or the database holds it. */
  interface Lock {
    void free();
  }

  /** Opens the lock, or throws a StoreException saying who holds it. */
  @FunctionalInterface
  interface Opener {
    Lock open();
  }

  /** One holder's share. */
  interface Share {
    void release();
  }

  private static final class Entry {
    final Lock lock;
    int holders;

    Entry(Lock lock) {
      this.lock = lock;
    }
  }

  /** A share of the lock named {@code key}, opened by {@code opener} if this process holds none yet. */
  static Share share(String key, Opener opener) {
    synchronized (HELD) {
      Entry e = HELD.get(key);
      if (e == null) {
        e = new Entry(opener.open());
        HELD.put(key, e);
      }
      e.holders++;
      boolean[] released = {false};
      return () -> {
        synchronized (HELD) {
          if (released[0]) {
            return;
          }
          released[0] = true;
          Entry held = HELD.get(key);
          if (held != null && --held.holders == 0) {
            HELD.remove(key);
            held.lock.free();
          }
        }
      };
    }
  }
}
