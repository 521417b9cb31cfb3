package dev.wagateway.spring;

import dev.wagateway.ValidationException;
import dev.wagateway.WaGateway;
import dev.wagateway.WaGatewayBuilder;
import dev.wagateway.engine.Engine;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.stats.MessageStatistics;
import dev.wagateway.alerting.AlertingConfig;
import dev.wagateway.alerting.Alerts;
import java.util.Map;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhooks.HttpWebhookDeliverer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Builds the {@link WaGateway} bean from {@code wa.*} properties: engine (the simulated network by
 * default), queue and pacing, webhook delivery and subscriptions, encryption, sessions to create.
 * Every bean backs off when the application defines its own; {@link WaGatewayCustomizer} beans adjust
 * the builder last. The gateway starts and stops with the context ({@link WaGatewayLifecycle}).
 */
@AutoConfiguration
@EnableConfigurationProperties(WaProperties.class)
public final class WaGatewayAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  TaskScheduler waTaskScheduler() {
    return TaskScheduler.system("wa-gateway", 2);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "wa", name = "engine", havingValue = "simulated", matchIfMissing = true)
  SimulatedNetwork waSimulatedNetwork(TaskScheduler scheduler) {
    return new SimulatedNetwork(scheduler);
  }

  @Bean
  @ConditionalOnMissingBean
  Engine waEngine(ObjectProvider<SimulatedNetwork> network, WaProperties properties) {
    SimulatedNetwork n = network.getIfAvailable();
    if (n == null) {
      throw new ValidationException("wa.engine", "unknown engine '" + properties.getEngine()
          + "': this version knows 'simulated', 'cloudapi' (with wa-cloudapi on the class path) and 'web' (with"
          + " wa-web); or define an"
          + " Engine bean");
    }
    return n.engine();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  WebhookDeliverer waWebhookDeliverer(WaProperties properties) {
    WaProperties.Webhooks w = properties.getWebhooks();
    return switch (w.getClient()) {
      case "jdk" -> HttpWebhookDeliverer.builder().allowPrivateNetworks(w.isAllowPrivateNetworks()).build();
      case "hc5" -> {
        if (!ClassUtils.isPresent("org.apache.hc.client5.http.impl.async.HttpAsyncClients", getClass().getClassLoader())) {
          throw new ValidationException("wa.webhooks.client",
              "'hc5' needs org.apache.httpcomponents.client5:httpclient5 on the class path");
        }
        yield dev.wagateway.webhooks.Hc5WebhookDeliverer.builder().allowPrivateNetworks(w.isAllowPrivateNetworks())
            .build();
      }
      default -> throw new ValidationException("wa.webhooks.client", "one of jdk, hc5, was '" + w.getClient() + "'");
    };
  }

  /** {@code wa.media.dir}: the filesystem media store (a MediaStore bean of yours, e.g. S3, wins). */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "wa.media", name = "dir")
  dev.wagateway.media.MediaStore waMediaStore(WaProperties p) throws java.io.IOException {
    return new dev.wagateway.media.FileSystemMediaStore(java.nio.file.Path.of(p.getMedia().getDir()));
  }

  @Bean
  @ConditionalOnMissingBean
  WaGateway waGateway(WaProperties p, TaskScheduler scheduler, Engine engine, WebhookDeliverer deliverer,
      ObjectProvider<MetricsTracker> tracker, ObjectProvider<OperationObserver> observer,
      ObjectProvider<WaGatewayCustomizer> customizers,
      ObjectProvider<dev.wagateway.media.MediaStore> mediaStore) {
    WaProperties.Queue q = p.getQueue();
    WaProperties.Webhooks w = p.getWebhooks();
    QueueConfig queue;
    try {
      queue = QueueConfig.defaults()
          .withMaxQueued(q.getMaxQueued(), q.getOverflow(), q.getBlockTimeout())
          .withPacing(PacingPolicy.defaults().withRate(q.getRate(), q.getBurst()).withRecipientGap(q.getRecipientGap()))
          .withRetry(new RetryPolicy(q.getMaxAttempts(), q.getRetryInitialDelay(), RetryPolicy.DEFAULT_MULTIPLIER,
              RetryPolicy.DEFAULT_RANDOMIZATION, q.getRetryMaxDelay()));
    } catch (IllegalArgumentException e) {
      throw new ValidationException("wa.queue", e.getMessage());
    }
    WebhookConfig webhooks;
    try {
      webhooks = WebhookConfig.defaults().withSchedule(w.getSchedule())
          .withDisableAfter(w.getDisableAfter(), w.getDisableAfterFailures());
    } catch (IllegalArgumentException e) {
      throw new ValidationException("wa.webhooks", e.getMessage());
    }
    AlertingConfig alerting;
    try {
      WaProperties.Alerting a = p.getAlerting();
      alerting = a.isEnabled() ? AlertingConfig.defaults().withInterval(a.getInterval())
          .withRepeatInterval(a.getRepeatInterval()) : AlertingConfig.disabled();
      for (Map.Entry<String, Double> t : a.getThresholds().entrySet()) {
        alerting = alerting.withThreshold(t.getKey(), t.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ValidationException("wa.alerting", e.getMessage());
    }
    WaGatewayBuilder b = WaGateway.builder().scheduler(scheduler).engine(engine).webhookDeliverer(deliverer)
        .maxSessions(p.getMaxSessions()).shutdownTimeout(p.getShutdownTimeout()).queue(queue).webhooks(webhooks)
        .alerting(alerting);
    dev.wagateway.media.MediaStore media = mediaStore.getIfAvailable();
    if (media != null) {
      try {
        b.media(dev.wagateway.media.MediaConfig.of(media).withRetention(p.getMedia().getRetention())
            .withPrivateNetworksAllowed(p.getMedia().isAllowPrivateNetworks()));
      } catch (IllegalArgumentException e) {
        throw new ValidationException("wa.media.retention", e.getMessage());
      }
    }
    if (p.getEncryptionKey() != null && !p.getEncryptionKey().isBlank()) {
      try {
        b.encryptionKeys(EncryptionKeys.of("k1", p.getEncryptionKey()));
      } catch (RuntimeException e) {
        throw new ValidationException("wa.encryption-key", "must be a base64 AES key of 16, 24 or 32 bytes");
      }
    }
    tracker.ifAvailable(b::metricsTracker);
    observer.ifAvailable(b::operationObserver);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /** Business statistics over the last hour and day (the gateway's own; it closes them). */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  MessageStatistics waMessageStatistics(WaGateway gateway) {
    return gateway.statistics();
  }

  /** The built-in alerting (the gateway's own). */
  @Bean
  @ConditionalOnMissingBean
  Alerts waAlerts(WaGateway gateway) {
    return gateway.alerts();
  }

  @Bean
  @ConditionalOnMissingBean
  WaGatewayLifecycle waGatewayLifecycle(WaGateway gateway, WaProperties properties) {
    return new WaGatewayLifecycle(gateway, properties);
  }
}
