package dev.wagateway.webhook;

import dev.wagateway.ValidationException;
import dev.wagateway.session.SessionId;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for when creating or changing a subscription. {@link Builder#build()} checks
 * every field and names the one at fault.
 */
public record SubscriptionRequest(URI url, @Nullable String sessionId, Set<String> eventTypes,
    List<WebhookSecret> secrets, Map<String, String> headers, SignatureMode signatureMode,
    boolean ordered, int maxConcurrency) {

  /** Headers the gateway sets itself; a subscription may not override them. */
  static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
      "webhook-id", "webhook-timestamp", "webhook-signature", "x-hub-signature-256", "user-agent",
      "connection", "transfer-encoding");

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** Collects a request; defaults: all events of all sessions, a new secret, STANDARD signing. */
  public static final class Builder {
    private final String url;
    private @Nullable String sessionId;
    private final Set<String> eventTypes = new LinkedHashSet<>();
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private SignatureMode mode = SignatureMode.STANDARD;
    private boolean ordered;
    private int maxConcurrency = 10;

    private Builder(String url) {
      this.url = url;
    }

    public Builder session(@Nullable String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder eventTypes(Set<String> types) {
      eventTypes.addAll(types);
      return this;
    }

    public Builder secret(WebhookSecret secret) {
      secrets.add(secret);
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Builder signatureMode(SignatureMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    public Builder maxConcurrency(int n) {
      this.maxConcurrency = n;
      return this;
    }

    public SubscriptionRequest build() {
      URI uri;
      try {
        uri = URI.create(url == null ? "" : url.strip());
      } catch (IllegalArgumentException e) {
        throw new ValidationException("url", "not a valid URL");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      ValidationException.require(scheme.equals("https") || scheme.equals("http"), "url",
          "a webhook URL is http or https");
      ValidationException.require(uri.getHost() != null && !uri.getHost().isEmpty(), "url",
          "the URL has no host");
      ValidationException.require(uri.getUserInfo() == null, "url",
          "put credentials in a header, not in the URL");
      ValidationException.require(uri.getFragment() == null, "url", "a webhook URL has no fragment");
      if (sessionId != null) {
        SessionId.validate("sessionId", sessionId);
      }
      for (String t : eventTypes) {
        ValidationException.require(t != null && t.matches("[a-z_]+\\.[a-z_]+"), "eventTypes",
            "an event type looks like message.status (see docs/events.md), not '" + t + "'");
      }
      for (var h : headers.entrySet()) {
        String name = h.getKey();
        ValidationException.require(name != null && name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}"),
            "headers", "'" + name + "' is not a valid header name");
        ValidationException.require(!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT)),
            "headers", "the gateway sets '" + name + "' itself");
        String v = h.getValue();
        ValidationException.require(v != null && v.length() <= 4096 && v.chars().noneMatch(c -> c == '\r' || c == '\n'),
            "headers", "the value of '" + name + "' must be one line of at most 4096 characters");
      }
      ValidationException.require(headers.size() <= 20, "headers", "at most 20 extra headers");
      ValidationException.require(maxConcurrency >= 1 && maxConcurrency <= 256, "maxConcurrency",
          "1 to 256 deliveries in flight per endpoint");
      ValidationException.require(secrets.size() <= 5, "secrets", "at most 5 secrets at once");
      // HUB_SHA256 has room for one signature: it signs with the first (current) secret.
      List<WebhookSecret> s = secrets.isEmpty() ? List.of(WebhookSecret.generate()) : secrets;
      return new SubscriptionRequest(uri, sessionId, eventTypes, s, headers, mode, ordered,
          maxConcurrency);
    }
  }
}
