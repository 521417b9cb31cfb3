package dev.wagateway.observe;

import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.webhook.DeliveryOutcome;

/**
 * Told, synchronously and on the thread that does the work, about what metrics count. A gateway
 * without metrics uses {@link #NOOP}; wa-metrics implements it with Micrometer. Implementations
 * must be fast and must not block or throw: they run on the send path. Arguments are bounded
 * values (session ids, content types, codes), never phone numbers or message text.
 */
public interface MetricsTracker {

  MetricsTracker NOOP = new MetricsTracker() {};

  /**
   * WhatsApp accepted a message. Durations in nanoseconds, so the hot path allocates nothing.
   *
   * @param sendNanos from the engine call to its ack
   * @param sinceAcceptedNanos from {@code send} accepting it to the ack
   */
  default void messageSent(String sessionId, String contentType, long sendNanos, long sinceAcceptedNanos) {}

  /**
   * A run of calls on this thread begins: a dispatcher's drain of one session, which may send many
   * messages. A tracker may hold what the run records into meters every thread shares and write it
   * at {@link #runEnded}, so that two threads do not take turns on the same cache lines for every
   * message. Calls nest; each is paired with one {@link #runEnded} on the same thread, in a
   * {@code finally}. Calls outside a run are recorded at once.
   */
  default void runStarted() {}

  /** The run this thread began with {@link #runStarted} ended: whatever was held is recorded now. */
  default void runEnded() {}

  /** One attempt failed. */
  default void messageFailed(String sessionId, String contentType, FailureType reason) {}

  /** A receipt moved a sent message forward (DELIVERED, READ or PLAYED). */
  default void receipt(String sessionId, MessageStatus status) {}

  /** A message arrived. */
  default void messageReceived(String sessionId, String contentType) {}

  /** A reconnect was scheduled; {@code reason} is the engine's disconnect code, or {@code silent}. */
  default void reconnectScheduled(String sessionId, String reason) {}

  /** A message was handed to the engine this long after it was due (the dispatch lag). */
  default void dispatchLag(long lagNanos) {}

  /** A webhook delivery attempt has its answer; {@code latencyNanos} from the request to the answer. */
  default void webhookAttempt(String eventType, DeliveryOutcome outcome, long latencyNanos) {}

  /**
   * Media were moved: stored as they arrived ({@code inbound}) or read back for a send
   * ({@code outbound}); {@code type} is the content type (image, document, ...).
   */
  default void mediaProcessed(String type, String direction, long bytes, long nanos) {}

  /** Media could not be stored or read back. */
  default void mediaFailed(String type, String direction) {}
}
