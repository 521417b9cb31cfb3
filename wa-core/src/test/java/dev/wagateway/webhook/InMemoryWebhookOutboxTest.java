package dev.wagateway.webhook;

class InMemoryWebhookOutboxTest extends WebhookOutboxContract {
  @Override
  protected WebhookOutbox createOutbox() {
    return new InMemoryWebhookOutbox();
  }
}
