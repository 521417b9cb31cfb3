/**
 * Health for wa-gateway, framework-neutral: {@link dev.wagateway.health.HealthCheck}s, a
 * {@link dev.wagateway.health.HealthService} that runs them with a timeout each, built-in
 * {@link dev.wagateway.health.GatewayChecks}, JSON rendering and a handler for
 * {@code com.sun.net.httpserver} serving {@code /health}, {@code /health/live}, {@code /health/ready}.
 */
@NullMarked
package dev.wagateway.health;

import org.jspecify.annotations.NullMarked;
