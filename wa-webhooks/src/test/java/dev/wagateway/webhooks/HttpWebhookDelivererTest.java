package dev.wagateway.webhooks;

import dev.wagateway.webhook.WebhookDeliverer;
import java.time.Duration;

class HttpWebhookDelivererTest extends WebhookDelivererContract {
  @Override
  WebhookDeliverer open(boolean allowPrivateNetworks, Duration requestTimeout, int responseCap) {
    return HttpWebhookDeliverer.builder().allowPrivateNetworks(allowPrivateNetworks)
        .requestTimeout(requestTimeout).responseCap(responseCap).build();
  }
}
