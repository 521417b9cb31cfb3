package dev.wagateway.spring;

import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.webhook.WebhookConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code wa.*} settings of the gateway the starter builds. Every field has the library's default;
 * values are checked when the gateway is built, and a bad one fails the start naming the property.
 */
@ConfigurationProperties("wa")
public class WaProperties {

  /**
   * The engine: {@code simulated} (an in-process WhatsApp network for development and tests),
   * {@code cloudapi} (wa-cloudapi) or {@code web} (wa-web, the native WhatsApp Web engine).
   */
  private String engine = "simulated";

  /** Sessions to create at start-up when they do not exist yet (ids of letters, digits, '.', '-', '_'). */
  private List<String> sessions = new ArrayList<>();

  /** The most sessions the gateway holds. */
  private int maxSessions = 1000;

  /** On shutdown, how long sends in flight may take to finish. */
  private Duration shutdownTimeout = Duration.ofSeconds(10);

  /** A base64 AES key (16, 24 or 32 bytes) that encrypts stored session credentials; none: stored in the clear. */
  private @Nullable String encryptionKey;

  /** Start the gateway with the application context (and stop it with the context). */
  private boolean autoStart = true;

  /**
   * Where sessions, queued messages, webhook subscriptions and deliveries live: {@code memory}, or
   * {@code jdbc} (wa-jdbc on the application's DataSource, PostgreSQL or SQLite; needs an encryption key).
   */
  private String store = "memory";

  /** With {@code store=jdbc} on PostgreSQL: this instance's id among several sharing the database. */
  private @Nullable String instanceId;

  public String getStore() {
    return store;
  }

  public void setStore(String store) {
    this.store = store;
  }

  public @Nullable String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
  }

  private final Queue queue = new Queue();

  private final Webhooks webhooks = new Webhooks();

  private final Metrics metrics = new Metrics();

  private final Alerting alerting = new Alerting();

  private final CloudApi cloudapi = new CloudApi();
  private final Web web = new Web();

  private final Media media = new Media();

  /** {@code wa.media.*}: where inbound media are stored (off unless {@code wa.media.dir} is set). */
  public Media getMedia() {
    return media;
  }

  /** Media storage on the filesystem (for S3, define a {@code MediaStore} bean from wa-media-s3). */
  public static class Media {
    /** The directory of the filesystem media store; unset (and no MediaStore bean): media pass through. */
    private @Nullable String dir;

    /** How long stored media are kept. */
    private Duration retention = Duration.ofDays(30);

    /** Let media URLs reach private and loopback addresses. */
    private boolean allowPrivateNetworks;

    public @Nullable String getDir() {
      return dir;
    }

    public void setDir(@Nullable String dir) {
      this.dir = dir;
    }

    public Duration getRetention() {
      return retention;
    }

    public void setRetention(Duration retention) {
      this.retention = retention;
    }

    public boolean isAllowPrivateNetworks() {
      return allowPrivateNetworks;
    }

    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
      this.allowPrivateNetworks = allowPrivateNetworks;
    }
  }

  /** {@code wa.cloudapi.*}: the Cloud API engine ({@code wa.engine=cloudapi}). */
  public CloudApi getCloudapi() {
    return cloudapi;
  }

  /** {@code wa.web.*}: the native WhatsApp Web engine ({@code wa.engine=web}). */
  public Web getWeb() {
    return web;
  }

  public String getEngine() {
    return engine;
  }

  public void setEngine(String engine) {
    this.engine = engine;
  }

  public List<String> getSessions() {
    return sessions;
  }

  public void setSessions(List<String> sessions) {
    this.sessions = sessions;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  public void setMaxSessions(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public @Nullable String getEncryptionKey() {
    return encryptionKey;
  }

  public void setEncryptionKey(@Nullable String encryptionKey) {
    this.encryptionKey = encryptionKey;
  }

  public boolean isAutoStart() {
    return autoStart;
  }

  public void setAutoStart(boolean autoStart) {
    this.autoStart = autoStart;
  }

  public Queue getQueue() {
    return queue;
  }

  public Webhooks getWebhooks() {
    return webhooks;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Alerting getAlerting() {
    return alerting;
  }

  /** Never prints the encryption key or webhook secrets. */
  @Override
  public String toString() {
    return "WaProperties[engine=" + engine + ", sessions=" + sessions + ", encryption="
        + (encryptionKey == null ? "off" : "on") + ", webhooks=" + webhooks.subscriptions.size() + " subscriptions]";
  }

  /** The WhatsApp Web engine: where it connects; the defaults talk to WhatsApp itself. */
  public static class Web {
    /**
     * The chat WebSocket; change it only to test against a mock server. (A literal, not wa-web's
     * constant: these properties load without wa-web on the class path.)
     */
    private java.net.URI url = java.net.URI.create("wss://web.whatsapp.com/ws/chat");
    /** Hex of a test server's 32-byte certificate root; unset means WhatsApp's own root. */
    private String rootKey;
    /** How often an idle connection pings. */
    private java.time.Duration keepAliveInterval = java.time.Duration.ofSeconds(25);
    /** How long a ping may go unanswered before the connection counts as lost. */
    private java.time.Duration keepAliveTimeout = java.time.Duration.ofSeconds(15);

    public java.net.URI getUrl() {
      return url;
    }

    public void setUrl(java.net.URI url) {
      this.url = url;
    }

    public String getRootKey() {
      return rootKey;
    }

    public void setRootKey(String rootKey) {
      this.rootKey = rootKey;
    }

    public java.time.Duration getKeepAliveInterval() {
      return keepAliveInterval;
    }

    public void setKeepAliveInterval(java.time.Duration keepAliveInterval) {
      this.keepAliveInterval = keepAliveInterval;
    }

    public java.time.Duration getKeepAliveTimeout() {
      return keepAliveTimeout;
    }

    public void setKeepAliveTimeout(java.time.Duration keepAliveTimeout) {
      this.keepAliveTimeout = keepAliveTimeout;
    }

    @Override
    public String toString() {
      return "Web[url=" + url + ", testRoot=" + (rootKey != null) + "]";
    }
  }

  /** The Cloud API engine: Meta app credentials, Graph API address, the number of each session. */
  public static class CloudApi {
    /** The Meta app's secret: it signs webhook posts (X-Hub-Signature-256). */
    private @Nullable String appSecret;

    /** The verify token of the webhook verification handshake, as set in the Meta app. */
    private @Nullable String verifyToken;

    /** The Graph API host. */
    private String baseUrl = "https://graph.facebook.com";

    /** The Graph API version. */
    private String apiVersion = "v26.0";

    /** Where Meta's webhook is served (needs spring-webmvc); empty to mount it yourself. */
    private String webhookPath = "/webhooks/cloudapi";

    /** How long inbound ids are remembered against Meta's redeliveries. */
    private Duration seenIdTtl = Duration.ofDays(8);

    /** The phone number each session sends from, by session id. */
    private java.util.Map<String, Account> accounts = new java.util.LinkedHashMap<>();

    public @Nullable String getAppSecret() {
      return appSecret;
    }

    public void setAppSecret(@Nullable String appSecret) {
      this.appSecret = appSecret;
    }

    public @Nullable String getVerifyToken() {
      return verifyToken;
    }

    public void setVerifyToken(@Nullable String verifyToken) {
      this.verifyToken = verifyToken;
    }

    public String getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    public String getApiVersion() {
      return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
      this.apiVersion = apiVersion;
    }

    public String getWebhookPath() {
      return webhookPath;
    }

    public void setWebhookPath(String webhookPath) {
      this.webhookPath = webhookPath;
    }

    public Duration getSeenIdTtl() {
      return seenIdTtl;
    }

    public void setSeenIdTtl(Duration seenIdTtl) {
      this.seenIdTtl = seenIdTtl;
    }

    public java.util.Map<String, Account> getAccounts() {
      return accounts;
    }

    public void setAccounts(java.util.Map<String, Account> accounts) {
      this.accounts = accounts;
    }

    /** Never prints the secret, the verify token or access tokens. */
    @Override
    public String toString() {
      return "CloudApi[baseUrl=" + baseUrl + ", apiVersion=" + apiVersion + ", accounts=" + accounts.keySet() + "]";
    }

    /** One session's business phone number. */
    public static class Account {
      /** The phone number id Meta shows for the number (digits). */
      private @Nullable String phoneNumberId;

      /** A system user access token that may send from the number. */
      private @Nullable String accessToken;

      public @Nullable String getPhoneNumberId() {
        return phoneNumberId;
      }

      public void setPhoneNumberId(@Nullable String phoneNumberId) {
        this.phoneNumberId = phoneNumberId;
      }

      public @Nullable String getAccessToken() {
        return accessToken;
      }

      public void setAccessToken(@Nullable String accessToken) {
        this.accessToken = accessToken;
      }

      @Override
      public String toString() {
        return "Account[phoneNumberId=" + phoneNumberId + ", accessToken=<redacted>]";
      }
    }
  }

  /** The outbound queue. */
  public static class Queue {
    /** Messages the queue holds before it refuses (REJECT) or makes callers wait (BLOCK). */
    private int maxQueued = QueueConfig.DEFAULT_MAX_QUEUED;

    /** What a full queue does: REJECT (QueueFullException at once) or BLOCK (wait up to block-timeout). */
    private QueueConfig.Overflow overflow = QueueConfig.Overflow.REJECT;

    /** How long a send waits for room with overflow BLOCK. */
    private Duration blockTimeout = QueueConfig.DEFAULT_BLOCK_TIMEOUT;

    /** Messages per second per session (0: no limit). */
    private double rate = PacingPolicy.DEFAULT_RATE_PER_SECOND;

    /** Messages a session may send at once before the rate applies. */
    private int burst = PacingPolicy.DEFAULT_BURST;

    /** The shortest time between two messages to one recipient. */
    private Duration recipientGap = PacingPolicy.DEFAULT_RECIPIENT_GAP;

    /** Attempts per message before it is dead-lettered. */
    private int maxAttempts = RetryPolicy.DEFAULT_MAX_ATTEMPTS;

    /** The first retry's delay; later ones grow exponentially with jitter. */
    private Duration retryInitialDelay = RetryPolicy.DEFAULT_INITIAL_DELAY;

    /** The longest delay between two attempts. */
    private Duration retryMaxDelay = RetryPolicy.DEFAULT_MAX_DELAY;

    public int getMaxQueued() {
      return maxQueued;
    }

    public void setMaxQueued(int maxQueued) {
      this.maxQueued = maxQueued;
    }

    public QueueConfig.Overflow getOverflow() {
      return overflow;
    }

    public void setOverflow(QueueConfig.Overflow overflow) {
      this.overflow = overflow;
    }

    public Duration getBlockTimeout() {
      return blockTimeout;
    }

    public void setBlockTimeout(Duration blockTimeout) {
      this.blockTimeout = blockTimeout;
    }

    public double getRate() {
      return rate;
    }

    public void setRate(double rate) {
      this.rate = rate;
    }

    public int getBurst() {
      return burst;
    }

    public void setBurst(int burst) {
      this.burst = burst;
    }

    public Duration getRecipientGap() {
      return recipientGap;
    }

    public void setRecipientGap(Duration recipientGap) {
      this.recipientGap = recipientGap;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getRetryInitialDelay() {
      return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
      this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
      return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
      this.retryMaxDelay = retryMaxDelay;
    }
  }

  /** Webhook delivery. */
  public static class Webhooks {
    /** The HTTP client: {@code jdk} (java.net.http) or {@code hc5} (Apache HttpClient 5, add httpclient5). */
    private String client = "jdk";

    /** Let deliveries reach loopback and private addresses (local development and tests only). */
    private boolean allowPrivateNetworks;

    /** Delay before each attempt: the first is usually 0; after the last, a delivery is dead. */
    private List<Duration> schedule = new ArrayList<>(WebhookConfig.DEFAULT_SCHEDULE);

    /** An endpoint failing without success for this long is disabled. */
    private Duration disableAfter = WebhookConfig.DEFAULT_DISABLE_AFTER;

    /** Also disable an endpoint after this many failures in a row (0: only by time). */
    private int disableAfterFailures;

    /** Subscriptions created at start-up when no subscription has the same url and session. */
    private List<Subscription> subscriptions = new ArrayList<>();

    public String getClient() {
      return client;
    }

    public void setClient(String client) {
      this.client = client;
    }

    public boolean isAllowPrivateNetworks() {
      return allowPrivateNetworks;
    }

    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
      this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public List<Duration> getSchedule() {
      return schedule;
    }

    public void setSchedule(List<Duration> schedule) {
      this.schedule = schedule;
    }

    public Duration getDisableAfter() {
      return disableAfter;
    }

    public void setDisableAfter(Duration disableAfter) {
      this.disableAfter = disableAfter;
    }

    public int getDisableAfterFailures() {
      return disableAfterFailures;
    }

    public void setDisableAfterFailures(int disableAfterFailures) {
      this.disableAfterFailures = disableAfterFailures;
    }

    public List<Subscription> getSubscriptions() {
      return subscriptions;
    }

    public void setSubscriptions(List<Subscription> subscriptions) {
      this.subscriptions = subscriptions;
    }
  }

  /** One webhook subscription. */
  public static class Subscription {
    /** Where events are POSTed (http or https). */
    private @Nullable String url;

    /** Only this session's events; empty: every session's. */
    private @Nullable String session;

    /** Only these event types (e.g. message.status); empty: all. */
    private Set<String> eventTypes = new LinkedHashSet<>();

    /** The signing secret, whsec_<base64>; empty: generated (then read it from the subscription). */
    private @Nullable String secret;

    /** {@code standard} (Standard Webhooks) or {@code hub} (X-Hub-Signature-256). */
    private String signatureMode = "standard";

    /** Deliver one event at a time per session, in order. */
    private boolean ordered;

    /** Deliveries in flight to this endpoint at once. */
    private int maxConcurrency = 16;

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public @Nullable String getSession() {
      return session;
    }

    public void setSession(@Nullable String session) {
      this.session = session;
    }

    public Set<String> getEventTypes() {
      return eventTypes;
    }

    public void setEventTypes(Set<String> eventTypes) {
      this.eventTypes = eventTypes;
    }

    public @Nullable String getSecret() {
      return secret;
    }

    public void setSecret(@Nullable String secret) {
      this.secret = secret;
    }

    public String getSignatureMode() {
      return signatureMode;
    }

    public void setSignatureMode(String signatureMode) {
      this.signatureMode = signatureMode;
    }

    public boolean isOrdered() {
      return ordered;
    }

    public void setOrdered(boolean ordered) {
      this.ordered = ordered;
    }

    public int getMaxConcurrency() {
      return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
    }

    @Override
    public String toString() {
      return "Subscription[session=" + session + ", eventTypes=" + eventTypes + "]"; // no secret, no URL query
    }
  }

  /** The built-in alerting (for deployments without Prometheus; docs/alerting.md). */
  public static class Alerting {
    /** Evaluate the built-in rules and publish alert.firing / alert.resolved events. */
    private boolean enabled = true;

    /** How often the rules are evaluated. */
    private Duration interval = dev.wagateway.alerting.AlertingConfig.DEFAULT_INTERVAL;

    /** How often a firing alert that nobody acknowledged notifies again. */
    private Duration repeatInterval = dev.wagateway.alerting.AlertingConfig.DEFAULT_REPEAT_INTERVAL;

    /** Thresholds by rule name (e.g. WaQueueBacklogHigh: 5000), replacing the defaults of alerts.yml. */
    private java.util.Map<String, Double> thresholds = new java.util.LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getRepeatInterval() {
      return repeatInterval;
    }

    public void setRepeatInterval(Duration repeatInterval) {
      this.repeatInterval = repeatInterval;
    }

    public java.util.Map<String, Double> getThresholds() {
      return thresholds;
    }

    public void setThresholds(java.util.Map<String, Double> thresholds) {
      this.thresholds = thresholds;
    }
  }

  /** Micrometer instrumentation (with Micrometer on the class path). */
  public static class Metrics {
    /** Sessions past this many share the tag value {@code other}. */
    private int maxSessionTags = 100;

    /** Also publish Micrometer's percentile histograms beside the SLO buckets. */
    private boolean percentileHistograms;

    public int getMaxSessionTags() {
      return maxSessionTags;
    }

    public void setMaxSessionTags(int maxSessionTags) {
      this.maxSessionTags = maxSessionTags;
    }

    public boolean isPercentileHistograms() {
      return percentileHistograms;
    }

    public void setPercentileHistograms(boolean percentileHistograms) {
      this.percentileHistograms = percentileHistograms;
    }
  }
}
