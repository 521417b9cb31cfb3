package dev.wagateway.webhooks;

import dev.wagateway.webhook.WebhookDeliverer;

class JdkWebhookEndToEndTest extends WebhookEndToEndTest {
  @Override
  WebhookDeliverer openDeliverer() {
    return HttpWebhookDeliverer.builder().allowPrivateNetworks(true).build();
  }
}
