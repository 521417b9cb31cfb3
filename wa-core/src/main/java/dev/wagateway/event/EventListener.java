package dev.wagateway.event;

/** Receives gateway events. A listener that throws is counted and logged; others are unaffected. */
@FunctionalInterface
public interface EventListener {
  void onEvent(GatewayEvent event);
}
