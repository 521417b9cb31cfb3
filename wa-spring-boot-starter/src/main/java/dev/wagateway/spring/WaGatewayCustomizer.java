package dev.wagateway.spring;

import dev.wagateway.WaGatewayBuilder;

/**
 * Changes the gateway builder after the {@code wa.*} properties were applied, for what properties
 * cannot say (a custom store, an engine, listeners). Every such bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface WaGatewayCustomizer {
  void customize(WaGatewayBuilder builder);
}
