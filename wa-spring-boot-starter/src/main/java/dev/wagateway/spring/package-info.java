/**
 * Spring Boot 4 autoconfiguration for wa-gateway: {@link dev.wagateway.spring.WaGatewayAutoConfiguration}
 * builds the gateway from {@code wa.*} properties ({@link dev.wagateway.spring.WaProperties}),
 * {@link dev.wagateway.spring.WaMetricsAutoConfiguration} binds its metrics and spans, and
 * {@link dev.wagateway.spring.WaHealthAutoConfiguration} contributes its health checks.
 */
@NullMarked
package dev.wagateway.spring;

import org.jspecify.annotations.NullMarked;
