/**
 * Hooks for instrumentation, no-op by default: {@link dev.wagateway.observe.MetricsTracker} for
 * counters and timers, {@link dev.wagateway.observe.OperationObserver} for spans around send and
 * webhook attempts.
 */
@NullMarked
package dev.wagateway.observe;

import org.jspecify.annotations.NullMarked;
