package dev.wagateway.metrics;

import io.micrometer.common.KeyValues;

/**
 * {@code whatsapp.webhook.delivery}: low-cardinality keys event type and outcome; subscription id,
 * event id, session, attempt and HTTP status are high-cardinality. The URL is not a key: its query
 * may carry a token.
 */
public class DefaultWebhookDeliveryObservationConvention implements WebhookDeliveryObservationConvention {
  public static final String NAME = "whatsapp.webhook.delivery";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(WebhookDeliveryContext context) {
    return "whatsapp webhook " + context.eventType();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(WebhookDeliveryContext context) {
    return KeyValues.of("whatsapp.event.type", context.eventType(), "whatsapp.outcome", context.outcome());
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(WebhookDeliveryContext context) {
    return KeyValues.of("whatsapp.subscription.id", context.subscriptionId(), "whatsapp.event.id",
        context.eventId(), "whatsapp.session", context.sessionTag(), "whatsapp.attempt",
        Integer.toString(context.attempt()), "http.response.status_code", Integer.toString(context.statusCode()));
  }
}
