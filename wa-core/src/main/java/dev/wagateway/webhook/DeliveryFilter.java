package dev.wagateway.webhook;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Selects deliveries; null fields match everything. */
public record DeliveryFilter(@Nullable String subscriptionId, WebhookDelivery.@Nullable Status status,
    @Nullable Instant since, int limit) {

  public DeliveryFilter {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  public static DeliveryFilter of(@Nullable String subscriptionId) {
    return new DeliveryFilter(subscriptionId, null, null, 100);
  }

  public DeliveryFilter status(WebhookDelivery.@Nullable Status s) {
    return new DeliveryFilter(subscriptionId, s, since, limit);
  }

  public DeliveryFilter since(@Nullable Instant t) {
    return new DeliveryFilter(subscriptionId, status, t, limit);
  }

  public DeliveryFilter limit(int n) {
    return new DeliveryFilter(subscriptionId, status, since, n);
  }
}
