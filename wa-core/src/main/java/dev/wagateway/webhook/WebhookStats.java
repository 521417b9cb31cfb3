package dev.wagateway.webhook;

import java.time.Duration;
import java.util.Map;

/** A read-only view of webhook delivery, for metrics and health. */
public interface WebhookStats {

  /** Attempts so far by event type and outcome ("success", "retry", "permanent"). */
  Map<String, Map<DeliveryOutcome, Long>> attemptsByEventType();

  /** Deliveries by status now. */
  Map<WebhookDelivery.Status, Long> deliveries();

  /** Subscriptions disabled now (by the gateway or by hand). */
  int disabledEndpoints();

  /** Average latency of recent attempts. */
  Duration recentLatency();
}
