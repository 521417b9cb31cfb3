package dev.wagateway.store;

import java.util.List;
import java.util.Optional;

/**
 * Stores sessions and their credentials. Implementations must be thread-safe; every one runs the
 * contract suite {@code SessionStoreContract} from wa-core's test-jar.
 *
 * <p>Failures to reach the store are {@link dev.wagateway.StoreException}s.
 */
public interface SessionStore {

  Optional<SessionRecord> load(String id);

  /** Inserts or replaces the record with the record's id. */
  void save(SessionRecord record);

  /** Returns true if a record was deleted. */
  boolean delete(String id);

  /** Every stored record, in no particular order. */
  List<SessionRecord> loadAll();

  /**
   * Throws {@link dev.wagateway.StoreException} if the store cannot be reached now. Health checks
   * call it; in-memory stores are always reachable.
   */
  default void ping() {}
}
