package dev.wagateway.internal;

import org.slf4j.MDC;

/** Puts an MDC key for the length of a try block and restores what was there. */
final class Mdc implements AutoCloseable {
  private final String key;
  private final String previous;

  private Mdc(String key, String value) {
    this.key = key;
    this.previous = MDC.get(key);
    MDC.put(key, value);
  }

  static Mdc session(String sessionId) {
    return new Mdc("session", sessionId);
  }

  static Mdc message(String messageId) {
    return new Mdc("messageId", messageId);
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
