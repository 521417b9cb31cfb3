package dev.wagateway.message;

/** Why a send failed, in the terms that decide what happens next. */
public enum FailureType {
  /** Worth retrying: a timeout, a dropped connection, a server error. */
  TRANSIENT(true),
  /** Retrying will not help: the request was refused as it is. */
  PERMANENT(false),
  /** The engine or WhatsApp throttled the sender; retried after the advised wait. */
  RATE_LIMITED(true),
  /** The recipient does not exist or cannot receive messages. */
  RECIPIENT_INVALID(false),
  /** The session is restricted or banned and may not send. */
  SESSION_RESTRICTED(false),
  /** The message was not sent before its expiry. */
  EXPIRED(false),
  /** The caller cancelled the message before it was sent. */
  CANCELLED(false);

  private final boolean retryable;
  private final String tag = name().toLowerCase(java.util.Locale.ROOT);

  FailureType(boolean retryable) {
    this.retryable = retryable;
  }

  /** The name in lower case ({@code rate_limited}): the form metrics tags and traces use. */
  public String tag() {
    return tag;
  }

  /** True when another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
