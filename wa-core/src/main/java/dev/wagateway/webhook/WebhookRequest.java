package dev.wagateway.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One attempt to hand to a {@link WebhookDeliverer}: the deliverer signs {@code body} with
 * {@code secrets} for this attempt's {@code timestamp}.
 *
 * @param webhookId stable across retries: the event id, so receivers de-duplicate on it
 */
public record WebhookRequest(URI url, String webhookId, Instant timestamp, byte[] body,
    Map<String, String> headers, List<WebhookSecret> secrets, SignatureMode signatureMode) {}
