package dev.wagateway.webhook;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link WebhookDeliverer} reports for one attempt.
 *
 * @param statusCode HTTP status, 0 when none
 * @param refused true when the deliverer would not send at all (e.g. the SSRF guard): permanent
 * @param retryAfter the receiver's Retry-After, when it sent one
 */
public record DeliveryResult(int statusCode, Duration latency, @Nullable String error,
    String responseExcerpt, @Nullable Duration retryAfter, boolean refused) {

  public static DeliveryResult status(int code, Duration latency, String excerpt, @Nullable Duration retryAfter) {
    return new DeliveryResult(code, latency, null, excerpt, retryAfter, false);
  }

  public static DeliveryResult error(String error, Duration latency) {
    return new DeliveryResult(0, latency, error, "", null, false);
  }

  public static DeliveryResult refused(String why) {
    return new DeliveryResult(0, Duration.ZERO, why, "", null, true);
  }

  public DeliveryOutcome outcome() {
    return refused ? DeliveryOutcome.PERMANENT : DeliveryOutcome.ofStatus(statusCode);
  }
}
