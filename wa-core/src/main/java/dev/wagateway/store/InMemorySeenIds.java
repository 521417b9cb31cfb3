package dev.wagateway.store;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link SeenIds} in memory, bounded: past {@code maxEntries} the oldest remembered keys are
 * forgotten first. Lost on restart, so a redelivery after a restart is processed again (a
 * duplicate with the same id); use the JDBC store where that matters.
 */
public final class InMemorySeenIds implements SeenIds {
  private final int maxEntries;
  private final LinkedHashMap<String, Instant> entries = new LinkedHashMap<>();

  public InMemorySeenIds() {
    this(200_000);
  }

  public InMemorySeenIds(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public synchronized boolean contains(String key, Instant now) {
    Instant until = entries.get(SeenIds.checkKey(key));
    return until != null && until.isAfter(now);
  }

  @Override
  public synchronized void remember(String key, Instant expiresAt) {
    SeenIds.checkKey(key);
    Instant old = entries.remove(key);
    entries.put(key, old != null && old.isAfter(expiresAt) ? old : expiresAt);
    if (entries.size() > maxEntries) {
      Iterator<String> it = entries.keySet().iterator();
      it.next();
      it.remove();
    }
  }

  @Override
  public synchronized int purgeExpired(Instant now) {
    int n = 0;
    for (Iterator<Map.Entry<String, Instant>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      if (!it.next().getValue().isAfter(now)) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  public synchronized int size() {
    return entries.size();
  }
}
