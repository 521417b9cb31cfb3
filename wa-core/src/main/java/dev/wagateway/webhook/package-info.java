/**
 * Webhooks: subscriptions, the durable {@link dev.wagateway.webhook.WebhookOutbox}, the payload
 * schema and the {@link dev.wagateway.webhook.WebhookDeliverer} SPI (HTTP lives in wa-webhooks).
 */
@NullMarked
package dev.wagateway.webhook;

import org.jspecify.annotations.NullMarked;
