package dev.wagateway;

import dev.wagateway.engine.Engine;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.internal.DefaultWaGateway;
import dev.wagateway.internal.GatewaySettings;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import dev.wagateway.queue.InMemoryQueueStore;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.session.ReconnectPolicy;
import dev.wagateway.session.WatchdogPolicy;
import dev.wagateway.store.EncryptingSessionStore;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.store.SessionStore;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.InMemoryWebhookOutbox;
import dev.wagateway.webhook.InMemoryWebhookSubscriptionStore;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Configures a {@link WaGateway}. Every setting has a default (the constants below). */
public final class WaGatewayBuilder {
  public static final int DEFAULT_MAX_SESSIONS = 1_000;
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_SESSION = 32;
  public static final Duration DEFAULT_MESSAGE_RETENTION = Duration.ofHours(24);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_SCHEDULER_THREADS = 2;

  private @Nullable TaskScheduler scheduler;
  private @Nullable Engine engine;
  private SessionStore sessionStore = new InMemorySessionStore();
  private dev.wagateway.media.@Nullable MediaConfig media;
  private QueueStore queueStore = new InMemoryQueueStore();
  private QueueConfig queue = QueueConfig.defaults();
  private WebhookOutbox webhookOutbox = new InMemoryWebhookOutbox();
  private WebhookSubscriptionStore webhookSubscriptions = new InMemoryWebhookSubscriptionStore();
  private WebhookDeliverer webhookDeliverer = WebhookDeliverer.none();
  private WebhookConfig webhooks = WebhookConfig.defaults();
  private MetricsTracker metrics = MetricsTracker.NOOP;
  private OperationObserver observer = OperationObserver.NOOP;
  private dev.wagateway.alerting.AlertingConfig alerting = dev.wagateway.alerting.AlertingConfig.defaults();
  private @Nullable EncryptionKeys encryptionKeys;
  private dev.wagateway.session.@Nullable Ownership ownership;
  private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
  private WatchdogPolicy watchdog = WatchdogPolicy.defaults();
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
  private int maxInFlightPerSession = DEFAULT_MAX_IN_FLIGHT_PER_SESSION;
  private Duration messageRetention = DEFAULT_MESSAGE_RETENTION;
  private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

  WaGatewayBuilder() {}

  /**
   * The scheduler for every timer and clock reading (default: two daemon threads on the system
   * clock, closed with the gateway). A scheduler given here is not closed by the gateway.
   */
  public WaGatewayBuilder scheduler(TaskScheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** The engine (default: a fresh {@link SimulatedNetwork} on the gateway's scheduler). */
  public WaGatewayBuilder engine(Engine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    return this;
  }

  public WaGatewayBuilder sessionStore(SessionStore store) {
    this.sessionStore = Objects.requireNonNull(store, "sessionStore");
    return this;
  }

  /** Where outbound messages wait (default: in memory, lost on restart). */
  public WaGatewayBuilder queueStore(QueueStore store) {
    this.queueStore = Objects.requireNonNull(store, "queueStore");
    return this;
  }

  /** Queue bounds, retries and pacing (default {@link QueueConfig#defaults()}). */
  public WaGatewayBuilder queue(QueueConfig config) {
    this.queue = Objects.requireNonNull(config, "queue");
    return this;
  }

  /** Where webhook deliveries wait and are logged (default: in memory). */
  public WaGatewayBuilder webhookOutbox(WebhookOutbox outbox) {
    this.webhookOutbox = Objects.requireNonNull(outbox, "webhookOutbox");
    return this;
  }

  /** Where webhook subscriptions are kept (default: in memory). */
  public WaGatewayBuilder webhookSubscriptionStore(WebhookSubscriptionStore store) {
    this.webhookSubscriptions = Objects.requireNonNull(store, "webhookSubscriptionStore");
    return this;
  }

  /** Sends webhook attempts; wa-webhooks has the HTTP one. Without it every attempt fails visibly. */
  public WaGatewayBuilder webhookDeliverer(WebhookDeliverer deliverer) {
    this.webhookDeliverer = Objects.requireNonNull(deliverer, "webhookDeliverer");
    return this;
  }

  /** Retry schedule and endpoint disabling (default {@link WebhookConfig#defaults()}). */
  public WaGatewayBuilder webhooks(WebhookConfig config) {
    this.webhooks = Objects.requireNonNull(config, "webhooks");
    return this;
  }

  /** Told about sends, failures, receipts and reconnects as they happen (wa-metrics has one). */
  public WaGatewayBuilder metricsTracker(MetricsTracker tracker) {
    this.metrics = Objects.requireNonNull(tracker, "metricsTracker");
    return this;
  }

  /** Told when send and webhook attempts start and end, for tracing (wa-metrics has one). */
  public WaGatewayBuilder operationObserver(OperationObserver observer) {
    this.observer = Objects.requireNonNull(observer, "operationObserver");
    return this;
  }

  /** The built-in alerting (default: on, the built-in rules every 15 s; {@code disabled()} turns it off). */
  public WaGatewayBuilder alerting(dev.wagateway.alerting.AlertingConfig config) {
    this.alerting = Objects.requireNonNull(config, "alerting");
    return this;
  }

  /** Encrypts credentials at rest (AES-GCM) with these keys, around whichever store is set. */
  /**
   * Shares the stores with other instances: this one runs only the sessions whose lease it holds
   * (see {@link dev.wagateway.session.Ownership}); with wa-jdbc, {@code JdbcStores.shared(ds)}
   * gives the lease store and fences the queue with it.
   */
  public WaGatewayBuilder ownership(String instanceId, dev.wagateway.store.LeaseStore leases, Duration ttl) {
    this.ownership = new dev.wagateway.session.Ownership(instanceId, leases, ttl);
    return this;
  }

  /**
   * Keeps media in {@code media}'s store: inbound media are stored as they arrive and their events
   * carry a gateway media id ({@link dev.wagateway.message.MediaSource.Stored}); sends may refer to
   * stored media; an hourly job applies the retention. Off by default (media pass through).
   */
  public WaGatewayBuilder media(dev.wagateway.media.MediaConfig media) {
    this.media = Objects.requireNonNull(media, "media");
    return this;
  }

  public WaGatewayBuilder encryptionKeys(EncryptionKeys keys) {
    this.encryptionKeys = Objects.requireNonNull(keys, "encryptionKeys");
    return this;
  }

  public WaGatewayBuilder reconnectPolicy(ReconnectPolicy policy) {
    this.reconnect = Objects.requireNonNull(policy, "reconnectPolicy");
    return this;
  }

  public WaGatewayBuilder watchdogPolicy(WatchdogPolicy policy) {
    this.watchdog = Objects.requireNonNull(policy, "watchdogPolicy");
    return this;
  }

  public WaGatewayBuilder maxSessions(int max) {
    ValidationException.require(max >= 1, "maxSessions", "must be at least 1, was " + max);
    this.maxSessions = max;
    return this;
  }

  /** How long the engine may take to acknowledge a send before it counts as a transient failure. */
  public WaGatewayBuilder sendTimeout(Duration timeout) {
    ValidationException.require(timeout != null && !timeout.isNegative() && !timeout.isZero(),
        "sendTimeout", "must be a positive duration");
    this.sendTimeout = timeout;
    return this;
  }

  /** Sends a session may have waiting for an ack at once. */
  public WaGatewayBuilder maxInFlightPerSession(int max) {
    ValidationException.require(max >= 1, "maxInFlightPerSession", "must be at least 1, was " + max);
    this.maxInFlightPerSession = max;
    return this;
  }

  /** How long finished messages stay queryable through {@link WaGateway#message(String)}. */
  public WaGatewayBuilder messageRetention(Duration retention) {
    ValidationException.require(retention != null && !retention.isNegative() && !retention.isZero(),
        "messageRetention", "must be a positive duration");
    this.messageRetention = retention;
    return this;
  }

  public WaGatewayBuilder shutdownTimeout(Duration timeout) {
    ValidationException.require(timeout != null && !timeout.isNegative(), "shutdownTimeout",
        "must not be negative");
    this.shutdownTimeout = timeout;
    return this;
  }

  public WaGateway build() {
    boolean ownsScheduler = scheduler == null;
    TaskScheduler s = ownsScheduler
        ? TaskScheduler.system("wa-gateway", DEFAULT_SCHEDULER_THREADS) : scheduler;
    Engine e = engine != null ? engine : new SimulatedNetwork(s).engine();
    SessionStore store = encryptionKeys == null ? sessionStore
        : new EncryptingSessionStore(sessionStore, encryptionKeys);
    return new DefaultWaGateway(new GatewaySettings(s, ownsScheduler, e, store, queueStore, queue,
        webhookOutbox, webhookSubscriptions, webhookDeliverer, webhooks,
        reconnect, watchdog,
        maxSessions, sendTimeout, maxInFlightPerSession, messageRetention, shutdownTimeout, metrics,
        observer, alerting, ownership, media));
  }
}
