package dev.wagateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who runs each session when several gateway instances share one database: a session is owned by
 * one instance through a lease that the owner renews (a heartbeat) and that any instance may take
 * once it expired. Every change of owner increments the lease's fencing token; stores that know
 * the token refuse writes made under an older one ({@link dev.wagateway.FencedException}).
 * Thread-safe; the contract suite {@code LeaseStoreContract} in wa-core's test-jar checks it.
 */
public interface LeaseStore {

  /** A lease: {@code owner} runs {@code sessionId} until {@code expiresAt}, under {@code token}. */
  record Lease(String sessionId, String owner, long token, Instant expiresAt) {}

  /**
   * Takes the session's lease for {@code owner} until {@code now + ttl} if it is free, expired, or
   * already {@code owner}'s (then it is renewed and the token stays). Empty when another owner
   * holds a lease that has not expired at {@code now}.
   */
  Optional<Lease> acquire(String sessionId, String owner, Instant now, Duration ttl);

  /** Gives the lease up if {@code owner} still holds it under {@code token}. */
  void release(String sessionId, String owner, long token);

  Optional<Lease> get(String sessionId);

  /** Every lease, expired ones included, by session id. */
  List<Lease> list();
}
