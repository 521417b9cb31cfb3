package dev.wagateway.cloudapi;

import dev.wagateway.ValidationException;
import dev.wagateway.session.SessionId;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the Cloud API engine reaches Meta and which business phone numbers it serves. Built with
 * {@link #builder()}; {@link Builder#build()} checks every field and names the one at fault.
 * {@link #toString()} never shows the app secret, the verify token or an access token.
 *
 * @param baseUrl the Graph API host, {@code https://graph.facebook.com} unless a test or proxy
 * @param apiVersion the Graph API version, e.g. {@code v26.0}
 * @param appSecret the Meta app's secret, which signs webhook posts ({@code X-Hub-Signature-256})
 * @param verifyToken the token Meta echoes in the webhook verification handshake
 * @param accounts the phone number each session sends from, by session id
 */
public record CloudApiConfig(
    URI baseUrl,
    String apiVersion,
    @Nullable String appSecret,
    @Nullable String verifyToken,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration seenIdTtl,
    int maxWebhookBodyBytes,
    Duration throughputBackoff,
    Duration pairRateBackoff,
    Duration accountRateBackoff,
    Duration keepAliveInterval,
    Duration accountCheckInterval,
    Map<String, Account> accounts) {

  /** The Graph API version used unless configured (Meta's current one in December 2026). */
  public static final String DEFAULT_API_VERSION = "v26.0";

  public CloudApiConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    accounts = Map.copyOf(accounts);
  }

  /** The phone number a session sends from, and the token that may use it. */
  public record Account(String phoneNumberId, String accessToken) {
    public Account {
      ValidationException.require(phoneNumberId != null && phoneNumberId.matches("[0-9]{1,32}"),
          "cloudapi.accounts.phoneNumberId", "a phone number id is the digits Meta shows for the number");
      ValidationException.require(accessToken != null && accessToken.length() >= 16 && accessToken.length() <= 1024
          && accessToken.chars().allMatch(c -> c > 0x20 && c < 0x7f), "cloudapi.accounts.accessToken",
          "an access token is 16 to 1024 printable characters without spaces");
    }

    @Override
    public String toString() {
      return "Account[phoneNumberId=" + phoneNumberId + ", accessToken=<redacted>]";
    }
  }

  /** The account of {@code sessionId}, if one is configured. */
  public Optional<Account> account(String sessionId) {
    return Optional.ofNullable(accounts.get(sessionId));
  }

  /** The session that sends from {@code phoneNumberId}, if any. */
  public Optional<String> sessionOf(String phoneNumberId) {
    return accounts.entrySet().stream().filter(e -> e.getValue().phoneNumberId().equals(phoneNumberId))
        .map(Map.Entry::getKey).findFirst();
  }

  /** The URL of a Graph API path under the configured version, e.g. {@code 1234/messages}. */
  URI graph(String path) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + apiVersion + "/" + path);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "CloudApiConfig[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", appSecret="
        + (appSecret == null ? "none" : "<redacted>") + ", verifyToken=" + (verifyToken == null ? "none" : "<redacted>")
        + ", accounts=" + accounts.keySet() + "]";
  }

  public static final class Builder {
    private String baseUrl = "https://graph.facebook.com";
    private String apiVersion = DEFAULT_API_VERSION;
    private @Nullable String appSecret;
    private @Nullable String verifyToken;
    private Duration requestTimeout = Duration.ofSeconds(20);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration seenIdTtl = Duration.ofDays(8);
    private int maxWebhookBodyBytes = 4 * 1024 * 1024;
    private Duration throughputBackoff = Duration.ofSeconds(5);
    private Duration pairRateBackoff = Duration.ofSeconds(60);
    private Duration accountRateBackoff = Duration.ofMinutes(1);
    private Duration keepAliveInterval = Duration.ofSeconds(30);
    private Duration accountCheckInterval = Duration.ofMinutes(5);
    private final Map<String, Account> accounts = new LinkedHashMap<>();

    private Builder() {}

    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder apiVersion(String apiVersion) {
      this.apiVersion = apiVersion;
      return this;
    }

    /** The app secret that signs Meta's webhook posts; without it every post is refused. */
    public Builder appSecret(@Nullable String appSecret) {
      this.appSecret = appSecret;
      return this;
    }

    /** The token of the verification handshake; without it the handshake is refused. */
    public Builder verifyToken(@Nullable String verifyToken) {
      this.verifyToken = verifyToken;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long inbound ids are remembered against redelivery (Meta retries for up to 7 days). */
    public Builder seenIdTtl(Duration ttl) {
      this.seenIdTtl = ttl;
      return this;
    }

    public Builder maxWebhookBodyBytes(int max) {
      this.maxWebhookBodyBytes = max;
      return this;
    }

    /** The pause after Meta's throughput limit (130429) when it gives no wait of its own. */
    public Builder throughputBackoff(Duration d) {
      this.throughputBackoff = d;
      return this;
    }

    /** The wait before the next message to a recipient after the pair rate limit (131056). */
    public Builder pairRateBackoff(Duration d) {
      this.pairRateBackoff = d;
      return this;
    }

    /** The pause after an account or app rate limit (80007, 4, 613). */
    public Builder accountRateBackoff(Duration d) {
      this.accountRateBackoff = d;
      return this;
    }

    /**
     * How often a connected session reports itself alive to the watchdog. The Cloud API has no
     * socket that could go silent; keep this below the watchdog's silence timeout (90 s by default).
     */
    public Builder keepAliveInterval(Duration d) {
      this.keepAliveInterval = d;
      return this;
    }

    /** How often a connected session checks its number and token with the Graph API (quality, revoked tokens). */
    public Builder accountCheckInterval(Duration d) {
      this.accountCheckInterval = d;
      return this;
    }

    /** The session {@code sessionId} sends from {@code phoneNumberId} with {@code accessToken}. */
    public Builder account(String sessionId, String phoneNumberId, String accessToken) {
      SessionId.validate("cloudapi.accounts.sessionId", sessionId);
      Account a = new Account(phoneNumberId, accessToken);
      ValidationException.require(accounts.values().stream().noneMatch(x -> x.phoneNumberId().equals(phoneNumberId)),
          "cloudapi.accounts.phoneNumberId", "phone number id " + phoneNumberId + " is given to two sessions");
      accounts.put(sessionId, a);
      return this;
    }

    public CloudApiConfig build() {
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl"));
      } catch (IllegalArgumentException e) {
        throw new ValidationException("cloudapi.baseUrl", "not a valid URL");
      }
      ValidationException.require(("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null, "cloudapi.baseUrl", "an http(s) URL with a host");
      ValidationException.require(apiVersion != null && apiVersion.matches("v[0-9]{1,3}\\.[0-9]{1,2}"),
          "cloudapi.apiVersion", "a Graph API version such as " + DEFAULT_API_VERSION);
      ValidationException.require(appSecret == null || appSecret.length() >= 8, "cloudapi.appSecret",
          "an app secret is at least 8 characters");
      ValidationException.require(verifyToken == null || (verifyToken.length() >= 8 && verifyToken.length() <= 256),
          "cloudapi.verifyToken", "a verify token is 8 to 256 characters");
      positive(requestTimeout, "cloudapi.requestTimeout");
      positive(connectTimeout, "cloudapi.connectTimeout");
      positive(seenIdTtl, "cloudapi.seenIdTtl");
      positive(throughputBackoff, "cloudapi.throughputBackoff");
      positive(pairRateBackoff, "cloudapi.pairRateBackoff");
      positive(accountRateBackoff, "cloudapi.accountRateBackoff");
      positive(keepAliveInterval, "cloudapi.keepAliveInterval");
      positive(accountCheckInterval, "cloudapi.accountCheckInterval");
      ValidationException.require(maxWebhookBodyBytes >= 1024, "cloudapi.maxWebhookBodyBytes", "at least 1024");
      return new CloudApiConfig(uri, apiVersion, appSecret, verifyToken, requestTimeout, connectTimeout, seenIdTtl,
          maxWebhookBodyBytes, throughputBackoff, pairRateBackoff, accountRateBackoff, keepAliveInterval,
          accountCheckInterval, accounts);
    }

    private static void positive(Duration d, String field) {
      ValidationException.require(d != null && !d.isNegative() && !d.isZero(), field, "must be a positive duration");
    }
  }
}
