package dev.wagateway.observe;

import org.jspecify.annotations.Nullable;

/**
 * Told when a send attempt or a webhook delivery attempt starts, and handed back an
 * {@link Operation} that is ended exactly once when the attempt has its answer — so a tracer can
 * open a span around it (wa-metrics has one on Micrometer's Observation API). A gateway without it
 * uses {@link #NOOP}. Implementations run on the send and delivery paths: they must be fast and
 * must not block or throw. Arguments are ids and bounded words, never phone numbers or text.
 */
public interface OperationObserver {

  OperationObserver NOOP = new OperationObserver() {};

  /** A message is handed to the engine; {@code attempt} counts from 1. */
  default Operation sendStarted(String sessionId, String messageId, String contentType, int attempt) {
    return Operation.NOOP;
  }

  /**
   * A webhook delivery attempt starts; {@code sessionId} is empty for gateway-wide events and
   * {@code attempt} counts from 1.
   */
  default Operation webhookStarted(String subscriptionId, String sessionId, String eventId,
      String eventType, int attempt) {
    return Operation.NOOP;
  }

  /** One attempt in flight. */
  @FunctionalInterface
  interface Operation {
    Operation NOOP = (outcome, statusCode, error) -> {};

    /**
     * The attempt has its answer. {@code outcome} is a bounded word: for sends {@code sent} or the
     * failure type in lower case ({@code transient}, {@code permanent}, {@code rate_limited}, ...),
     * for webhooks {@code success}, {@code retry} or {@code permanent}. {@code error} describes a
     * failure (no secrets, no numbers), or is null. {@code statusCode} is the HTTP status of a
     * webhook answer, 0 where there is none.
     */
    void end(String outcome, int statusCode, @Nullable String error);
  }
}
