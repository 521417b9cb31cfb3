package dev.wagateway.webhooks;

import dev.wagateway.webhook.WebhookDeliverer;
import java.time.Duration;

class Hc5WebhookDelivererTest extends WebhookDelivererContract {
  @Override
  WebhookDeliverer open(boolean allowPrivateNetworks, Duration requestTimeout, int responseCap) {
    return Hc5WebhookDeliverer.builder().allowPrivateNetworks(allowPrivateNetworks)
        .requestTimeout(requestTimeout).responseCap(responseCap).build();
  }
}
