package dev.wagateway.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Webhook subscriptions and their deliveries, changed at runtime. */
public interface WebhookSubscriptions {

  /** Creates an enabled subscription; its secret is in the result (show it once). */
  WebhookSubscription create(SubscriptionRequest request);

  /** Replaces everything but id, creation time and enabled state. */
  WebhookSubscription update(String id, SubscriptionRequest request);

  boolean delete(String id);

  Optional<WebhookSubscription> get(String id);

  List<WebhookSubscription> list();

  /** Enables (also after an automatic disable: failure counters reset, held deliveries go now). */
  WebhookSubscription enable(String id);

  WebhookSubscription disable(String id);

  /** The delivery log, newest first. */
  List<WebhookDelivery> deliveries(DeliveryFilter filter);

  Optional<WebhookDelivery> delivery(String deliveryId);

  /** Sends a delivered or dead delivery again (same event id). */
  boolean redeliver(String deliveryId);

  /** Sends every dead delivery of a subscription created since {@code since} again. */
  int redeliverFailed(String subscriptionId, Instant since);
}
