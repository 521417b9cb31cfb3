package dev.wagateway.webhook;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends one signed attempt (wa-webhooks has the HTTP implementation). Reports what happened; the
 * gateway decides about retries from {@link DeliveryResult#outcome()}.
 */
@FunctionalInterface
public interface WebhookDeliverer {

  CompletionStage<DeliveryResult> deliver(WebhookRequest request);

  /**
   * The default when no deliverer is configured: every attempt fails (retried, then dead) with an
   * error that says what to add, so events stay visible in the outbox instead of vanishing.
   */
  static WebhookDeliverer none() {
    return r -> CompletableFuture.completedFuture(DeliveryResult.error(
        "no WebhookDeliverer configured: add wa-webhooks and set HttpWebhookDeliverer", Duration.ZERO));
  }
}
