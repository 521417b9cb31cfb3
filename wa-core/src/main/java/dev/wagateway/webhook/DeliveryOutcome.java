package dev.wagateway.webhook;

/** What one attempt means for the delivery. */
public enum DeliveryOutcome {
  /** 2xx: delivered. */
  SUCCESS,
  /** 408, 429, 5xx, timeouts and I/O errors: tried again on the schedule. */
  RETRY,
  /** Any other answer (other 4xx, a refused target): not tried again. */
  PERMANENT;

  private final String tag = name().toLowerCase(java.util.Locale.ROOT);

  /** The name in lower case ({@code success}): the form metrics tags and traces use. */
  public String tag() {
    return tag;
  }

  /** The outcome of an HTTP status; 0 stands for "no response" (timeout, I/O error). */
  public static DeliveryOutcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return SUCCESS;
    }
    if (status == 0 || status == 408 || status == 429 || status >= 500) {
      return RETRY;
    }
    return PERMANENT;
  }
}
