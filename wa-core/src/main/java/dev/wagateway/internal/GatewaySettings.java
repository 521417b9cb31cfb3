package dev.wagateway.internal;

import dev.wagateway.engine.Engine;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.session.ReconnectPolicy;
import dev.wagateway.session.WatchdogPolicy;
import dev.wagateway.store.SessionStore;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import java.time.Duration;

/** The validated settings a gateway is built from; see {@link dev.wagateway.WaGatewayBuilder}. */
public record GatewaySettings(
    TaskScheduler scheduler,
    boolean ownsScheduler,
    Engine engine,
    SessionStore sessionStore,
    QueueStore queueStore,
    QueueConfig queue,
    WebhookOutbox webhookOutbox,
    WebhookSubscriptionStore webhookSubscriptions,
    WebhookDeliverer webhookDeliverer,
    WebhookConfig webhooks,
    ReconnectPolicy reconnect,
    WatchdogPolicy watchdog,
    int maxSessions,
    Duration sendTimeout,
    int maxInFlightPerSession,
    Duration messageRetention,
    Duration shutdownTimeout,
    MetricsTracker metrics,
    OperationObserver observer,
    dev.wagateway.alerting.AlertingConfig alerting,
    dev.wagateway.session.@org.jspecify.annotations.Nullable Ownership ownership,
    dev.wagateway.media.@org.jspecify.annotations.Nullable MediaConfig media) {}
