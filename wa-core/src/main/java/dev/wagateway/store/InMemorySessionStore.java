package dev.wagateway.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SessionStore} in memory: the default of the embedded gateway and of tests. */
public final class InMemorySessionStore implements SessionStore {
  private final ConcurrentMap<String, SessionRecord> records = new ConcurrentHashMap<>();

  @Override
  public Optional<SessionRecord> load(String id) {
    return Optional.ofNullable(records.get(id));
  }

  @Override
  public void save(SessionRecord record) {
    records.put(record.id(), record);
  }

  @Override
  public boolean delete(String id) {
    return records.remove(id) != null;
  }

  @Override
  public List<SessionRecord> loadAll() {
    return List.copyOf(records.values());
  }
}
