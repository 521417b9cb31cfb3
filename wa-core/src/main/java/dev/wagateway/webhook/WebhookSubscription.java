package dev.wagateway.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where and how events are delivered. Created through {@link WebhookSubscriptions} from a validated
 * {@link SubscriptionRequest}. {@link #toString()} shows neither secrets nor header values.
 *
 * @param sessionId only this session's events, or null for all sessions
 * @param eventTypes only these event types; empty for all
 * @param secrets signing secrets, the first is current; more than one while rotating
 * @param ordered deliver one event at a time per session, in order
 * @param maxConcurrency deliveries in flight to this endpoint at once
 * @param disabledReason why the gateway disabled it, when it did
 */
public record WebhookSubscription(
    String id,
    URI url,
    @Nullable String sessionId,
    Set<String> eventTypes,
    List<WebhookSecret> secrets,
    Map<String, String> headers,
    boolean enabled,
    SignatureMode signatureMode,
    boolean ordered,
    int maxConcurrency,
    Instant createdAt,
    @Nullable String disabledReason) {

  public WebhookSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    eventTypes = Set.copyOf(eventTypes);
    secrets = List.copyOf(secrets);
    headers = Map.copyOf(headers);
  }

  /** True if this subscription wants an event of {@code type} from {@code session}. */
  public boolean matches(String type, String session) {
    return (sessionId == null || sessionId.equals(session))
        && (eventTypes.isEmpty() || eventTypes.contains(type));
  }

  public WebhookSubscription withEnabled(boolean on, @Nullable String reason) {
    return new WebhookSubscription(id, url, sessionId, eventTypes, secrets, headers, on,
        signatureMode, ordered, maxConcurrency, createdAt, on ? null : reason);
  }

  @Override
  public String toString() {
    return "WebhookSubscription[id=" + id + ", url=" + url.getScheme() + "://" + url.getHost()
        + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getPath() + ", session=" + sessionId
        + ", types=" + eventTypes + ", enabled=" + enabled + ", secrets=" + secrets.size()
        + " redacted, headers=" + headers.keySet() + "]";
  }
}
