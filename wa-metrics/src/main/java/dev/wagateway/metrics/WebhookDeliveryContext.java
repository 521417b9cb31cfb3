package dev.wagateway.metrics;

import io.micrometer.observation.Observation;

/** What an observation of one webhook delivery attempt knows. */
public final class WebhookDeliveryContext extends Observation.Context {
  private final String subscriptionId;
  private final String sessionTag;
  private final String eventId;
  private final String eventType;
  private final int attempt;
  private volatile String outcome = "unknown";
  private volatile int statusCode;

  WebhookDeliveryContext(String subscriptionId, String sessionTag, String eventId, String eventType, int attempt) {
    this.subscriptionId = subscriptionId;
    this.sessionTag = sessionTag;
    this.eventId = eventId;
    this.eventType = eventType;
    this.attempt = attempt;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  /** The session's bounded tag value; empty for gateway-wide events. */
  public String sessionTag() {
    return sessionTag;
  }

  public String eventId() {
    return eventId;
  }

  public String eventType() {
    return eventType;
  }

  /** Counts from 1. */
  public int attempt() {
    return attempt;
  }

  /** {@code success}, {@code retry}, {@code permanent}, or {@code unknown} while in flight. */
  public String outcome() {
    return outcome;
  }

  /** The HTTP status of the answer; 0 when there was none (timeout, refused connection). */
  public int statusCode() {
    return statusCode;
  }

  void end(String outcome, int statusCode) {
    this.outcome = outcome;
    this.statusCode = statusCode;
  }
}
