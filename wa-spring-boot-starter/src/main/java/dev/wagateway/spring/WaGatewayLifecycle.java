package dev.wagateway.spring;

import dev.wagateway.SessionAlreadyExistsException;
import dev.wagateway.WaGateway;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhook.WebhookSubscription;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the gateway with the application context — then creates the configured sessions and
 * webhook subscriptions that do not exist yet — and closes it gracefully with the context: after
 * the web server has stopped taking requests (a lower phase stops later), sends in flight get
 * {@code wa.shutdown-timeout}.
 */
public final class WaGatewayLifecycle implements SmartLifecycle, DisposableBean {
  /** Below the web server's graceful-shutdown phase, so the gateway stops after it. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
  private static final Logger log = LoggerFactory.getLogger(WaGatewayLifecycle.class);
  private final WaGateway gateway;
  private final WaProperties properties;
  private volatile boolean running;

  public WaGatewayLifecycle(WaGateway gateway, WaProperties properties) {
    this.gateway = gateway;
    this.properties = properties;
  }

  @Override
  public void start() {
    gateway.start();
    running = true;
    for (String id : properties.getSessions()) {
      if (gateway.sessions().get(id).isEmpty()) {
        try {
          gateway.sessions().create(id);
        } catch (SessionAlreadyExistsException raced) {
          // created meanwhile: what we wanted
        }
      }
    }
    int i = 0;
    for (WaProperties.Subscription s : properties.getWebhooks().getSubscriptions()) {
      String field = "wa.webhooks.subscriptions[" + i++ + "]";
      SubscriptionRequest r = request(field, s);
      boolean exists = gateway.webhooks().list().stream().anyMatch(w -> w.url().equals(r.url())
          && Objects.equals(w.sessionId(), r.sessionId()));
      if (!exists) {
        WebhookSubscription created = gateway.webhooks().create(r);
        log.info("webhook subscription {} created from {}", created.id(), field);
      }
    }
  }

  static SubscriptionRequest request(String field, WaProperties.Subscription s) {
    if (s.getUrl() == null || s.getUrl().isBlank()) {
      throw new dev.wagateway.ValidationException(field + ".url", "a subscription needs a url");
    }
    SubscriptionRequest.Builder b = SubscriptionRequest.builder(s.getUrl())
        .session(s.getSession() == null || s.getSession().isBlank() ? null : s.getSession())
        .eventTypes(s.getEventTypes()).ordered(s.isOrdered()).maxConcurrency(s.getMaxConcurrency());
    if (s.getSecret() != null && !s.getSecret().isBlank()) {
      b.secret(WebhookSecret.parse(field + ".secret", s.getSecret()));
    }
    b.signatureMode(SignatureMode.parse(field + ".signature-mode", s.getSignatureMode()));
    return b.build();
  }

  @Override
  public void stop() {
    if (running) {
      running = false;
      gateway.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return properties.isAutoStart();
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** A context that closes without stopping its lifecycle beans (a failed refresh) still closes the gateway. */
  @Override
  public void destroy() {
    gateway.close();
  }
}
