/**
 * HTTP delivery of webhooks ({@link dev.wagateway.webhooks.HttpWebhookDeliverer}), signing in the
 * Standard Webhooks and {@code X-Hub-Signature-256} forms ({@link dev.wagateway.webhooks.WebhookSigner}),
 * and the receiver-side {@link dev.wagateway.webhooks.WebhookVerifier}.
 */
@NullMarked
package dev.wagateway.webhooks;

import org.jspecify.annotations.NullMarked;
