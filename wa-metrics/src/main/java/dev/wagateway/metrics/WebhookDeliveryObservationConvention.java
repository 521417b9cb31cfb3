package dev.wagateway.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of webhook delivery observations; implement it to change them. */
public interface WebhookDeliveryObservationConvention extends ObservationConvention<WebhookDeliveryContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof WebhookDeliveryContext;
  }
}
