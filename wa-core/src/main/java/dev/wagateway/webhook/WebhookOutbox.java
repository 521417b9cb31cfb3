package dev.wagateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveries waiting to go out and the record of those that went. Every delivery a subscription
 * matches is appended before any attempt starts, so a crash loses nothing a durable outbox held.
 * Thread-safe. The contract suite {@code WebhookOutboxContract} in wa-core's test-jar checks every
 * implementation.
 */
public interface WebhookOutbox {

  /** Stores new PENDING deliveries, due at their {@code nextAttemptAt}. */
  void append(List<WebhookDelivery> deliveries);

  /**
   * Leases up to {@code max} due PENDING deliveries (IN_FLIGHT until completed or the lease ends).
   * Of deliveries sharing an ordering key only the oldest unfinished one is ever claimable.
   */
  List<WebhookDelivery> claim(Instant now, int max, Duration lease);

  /** An IN_FLIGHT delivery goes back to PENDING at {@code at}, with no attempt recorded. */
  void release(String id, Instant at);

  /** Records a successful attempt: DELIVERED. */
  void delivered(String id, DeliveryAttempt attempt);

  /** Records a failed attempt; PENDING again at {@code nextAttemptAt}. */
  void retry(String id, DeliveryAttempt attempt, Instant nextAttemptAt);

  /** Records the last failed attempt (or a reason, with no attempt): DEAD. */
  void dead(String id, DeliveryAttempt attempt);

  Optional<WebhookDelivery> get(String id);

  /** Newest first. */
  List<WebhookDelivery> list(DeliveryFilter filter);

  /** A DELIVERED or DEAD delivery is due again now (a replay); false if unknown or in progress. */
  boolean replay(String id, Instant now);

  /** Makes a subscription's PENDING deliveries due at {@code now} (after re-enabling it). */
  int wake(String subscriptionId, Instant now);

  /** Returns IN_FLIGHT deliveries whose lease ended by {@code now} to PENDING, due now; returns how many. */
  default int requeueExpiredLeases(Instant now) {
    return requeueLeases(now, now);
  }

  /**
   * Returns IN_FLIGHT deliveries leased until {@code leasedUntil} or earlier to PENDING, due at
   * {@code dueAt}; returns how many (at start, a far {@code leasedUntil} frees a dead process's).
   */
  int requeueLeases(Instant leasedUntil, Instant dueAt);

  /** Counts by status. */
  Map<WebhookDelivery.Status, Long> counts();

  /** Forgets DELIVERED deliveries created before {@code cutoff}; returns how many. */
  int pruneDelivered(Instant cutoff);

  /**
   * Throws {@link dev.wagateway.StoreException} if the store cannot be reached now. Health checks
   * call it; in-memory stores are always reachable.
   */
  default void ping() {}
}
