package dev.wagateway.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of send observations; implement it to change them. */
public interface MessageSendObservationConvention extends ObservationConvention<MessageSendContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof MessageSendContext;
  }
}
