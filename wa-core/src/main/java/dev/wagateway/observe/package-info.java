/** Hooks for instrumentation: the {@link dev.wagateway.observe.MetricsTracker} SPI (no-op by default). */
@NullMarked
package dev.wagateway.observe;

import org.jspecify.annotations.NullMarked;
