/**
 * Micrometer instrumentation of a gateway: {@link dev.wagateway.metrics.WaGatewayMetrics} binds
 * every metric of the observability contract ({@link dev.wagateway.metrics.WaMetricNames}) from the
 * gateway's event stream and read-only stats views. The core never imports Micrometer.
 */
@NullMarked
package dev.wagateway.metrics;

import org.jspecify.annotations.NullMarked;
