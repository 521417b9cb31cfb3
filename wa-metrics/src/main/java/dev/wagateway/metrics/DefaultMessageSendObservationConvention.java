package dev.wagateway.metrics;

import io.micrometer.common.KeyValues;

/**
 * {@code whatsapp.message.send}: low-cardinality keys session (bounded), message type and outcome
 * (they may become metric tags); message id and attempt are high-cardinality (span attributes only).
 * No phone number is a key.
 */
public class DefaultMessageSendObservationConvention implements MessageSendObservationConvention {
  public static final String NAME = "whatsapp.message.send";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(MessageSendContext context) {
    return "whatsapp send " + context.contentType();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(MessageSendContext context) {
    return KeyValues.of("whatsapp.session", context.sessionTag(), "whatsapp.message.type", context.contentType(),
        "whatsapp.outcome", context.outcome());
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(MessageSendContext context) {
    return KeyValues.of("whatsapp.message.id", context.messageId(), "whatsapp.attempt",
        Integer.toString(context.attempt()));
  }
}
