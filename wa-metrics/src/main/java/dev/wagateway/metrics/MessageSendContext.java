package dev.wagateway.metrics;

import io.micrometer.observation.Observation;

/** What an observation of one send attempt knows: ids, the content type and, at the end, the outcome. */
public final class MessageSendContext extends Observation.Context {
  private final String sessionTag;
  private final String messageId;
  private final String contentType;
  private final int attempt;
  private volatile String outcome = "unknown";

  MessageSendContext(String sessionTag, String messageId, String contentType, int attempt) {
    this.sessionTag = sessionTag;
    this.messageId = messageId;
    this.contentType = contentType;
    this.attempt = attempt;
  }

  /** The session's bounded tag value (its id, or {@code other} past the tag limit). */
  public String sessionTag() {
    return sessionTag;
  }

  public String messageId() {
    return messageId;
  }

  public String contentType() {
    return contentType;
  }

  /** Counts from 1. */
  public int attempt() {
    return attempt;
  }

  /** {@code sent}, a failure type in lower case, or {@code unknown} while in flight. */
  public String outcome() {
    return outcome;
  }

  void outcome(String outcome) {
    this.outcome = outcome;
  }
}
