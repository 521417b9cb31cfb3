package dev.wagateway.metrics;

import dev.wagateway.observe.OperationObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer Observations around send attempts and webhook delivery attempts, so a host application
 * with a tracer (Micrometer Tracing) gets a span for each. Give it to the gateway builder:
 *
 * <pre>{@code
 * WaGateway gateway = WaGateway.builder()
 *     .operationObserver(WaObservations.builder(observationRegistry).build())
 *     .build();
 * }</pre>
 *
 * Conventions can be replaced ({@link MessageSendObservationConvention},
 * {@link WebhookDeliveryObservationConvention}); a failed attempt is recorded as the observation's
 * error ({@link WaOperationFailure}: type and code, no stack, no number). With a no-op registry
 * this costs a check per attempt.
 */
public final class WaObservations implements OperationObserver {
  private static final MessageSendObservationConvention DEFAULT_SEND = new DefaultMessageSendObservationConvention();
  private static final WebhookDeliveryObservationConvention DEFAULT_WEBHOOK =
      new DefaultWebhookDeliveryObservationConvention();
  private final ObservationRegistry registry;
  private final SessionTags sessionTags;
  private final @Nullable MessageSendObservationConvention sendConvention;
  private final @Nullable WebhookDeliveryObservationConvention webhookConvention;

  private WaObservations(Builder b) {
    this.registry = b.registry;
    this.sessionTags = new SessionTags(b.maxSessionTags);
    this.sendConvention = b.sendConvention;
    this.webhookConvention = b.webhookConvention;
  }

  public static Builder builder(ObservationRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public Operation sendStarted(String sessionId, String messageId, String contentType, int attempt) {
    if (registry.isNoop()) {
      return Operation.NOOP;
    }
    MessageSendContext ctx = new MessageSendContext(sessionTags.of(sessionId), messageId, contentType, attempt);
    Observation o = Observation.createNotStarted(sendConvention, DEFAULT_SEND, () -> ctx, registry).start();
    return (outcome, statusCode, error) -> {
      ctx.outcome(outcome);
      if (!"sent".equals(outcome)) {
        o.error(new WaOperationFailure("send " + outcome, error));
      }
      o.stop();
    };
  }

  @Override
  public Operation webhookStarted(String subscriptionId, String sessionId, String eventId, String eventType,
      int attempt) {
    if (registry.isNoop()) {
      return Operation.NOOP;
    }
    WebhookDeliveryContext ctx = new WebhookDeliveryContext(subscriptionId,
        sessionId.isEmpty() ? "" : sessionTags.of(sessionId), eventId, eventType, attempt);
    Observation o = Observation.createNotStarted(webhookConvention, DEFAULT_WEBHOOK, () -> ctx, registry).start();
    return (outcome, statusCode, error) -> {
      ctx.end(outcome, statusCode);
      if (!"success".equals(outcome)) {
        o.error(new WaOperationFailure("webhook " + outcome + (statusCode > 0 ? " (HTTP " + statusCode + ")" : ""),
            error));
      }
      o.stop();
    };
  }

  /** The failure of an attempt as an observation error: what and why, no stack trace. */
  public static final class WaOperationFailure extends RuntimeException {
    WaOperationFailure(String what, @Nullable String why) {
      super(why == null || why.isEmpty() ? what : what + ": " + why, null, false, false);
    }
  }

  /** Configures {@link WaObservations}. */
  public static final class Builder {
    private final ObservationRegistry registry;
    private int maxSessionTags = WaGatewayMetrics.DEFAULT_MAX_SESSION_TAGS;
    private @Nullable MessageSendObservationConvention sendConvention;
    private @Nullable WebhookDeliveryObservationConvention webhookConvention;

    private Builder(ObservationRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Sessions past this many share the low-cardinality value {@code other} (default 100). */
    public Builder maxSessionTags(int max) {
      new SessionTags(max); // validates
      this.maxSessionTags = max;
      return this;
    }

    /** Replaces the default send convention. */
    public Builder sendConvention(MessageSendObservationConvention convention) {
      this.sendConvention = Objects.requireNonNull(convention, "sendConvention");
      return this;
    }

    /** Replaces the default webhook convention. */
    public Builder webhookConvention(WebhookDeliveryObservationConvention convention) {
      this.webhookConvention = Objects.requireNonNull(convention, "webhookConvention");
      return this;
    }

    public WaObservations build() {
      return new WaObservations(this);
    }
  }
}
