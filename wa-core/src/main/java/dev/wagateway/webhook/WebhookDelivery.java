package dev.wagateway.webhook;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One event for one subscription, with its attempt log.
 *
 * @param orderingKey deliveries with the same key go one at a time, oldest first; null: unordered
 * @param nextAttemptAt when the next attempt is due (for PENDING)
 */
public record WebhookDelivery(
    String id,
    String subscriptionId,
    String eventId,
    String eventType,
    String sessionId,
    byte[] payload,
    @Nullable String orderingKey,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    List<DeliveryAttempt> log) {

  public enum Status {
    /** Waiting for its first or next attempt. */
    PENDING,
    /** An attempt is under way. */
    IN_FLIGHT,
    DELIVERED,
    /** Given up: every attempt of the schedule failed, or the answer was permanent. */
    DEAD
  }

  public WebhookDelivery {
    log = List.copyOf(log);
  }

  @Override
  public String toString() {
    return "WebhookDelivery[" + id + ", subscription=" + subscriptionId + ", event=" + eventType + " "
        + eventId + ", " + status + ", attempts=" + attempts + "]";
  }
}
