package dev.wagateway.webhooks;

import dev.wagateway.webhook.WebhookDeliverer;

class Hc5WebhookEndToEndTest extends WebhookEndToEndTest {
  @Override
  WebhookDeliverer openDeliverer() {
    return Hc5WebhookDeliverer.builder().allowPrivateNetworks(true).build();
  }
}
