/** Business statistics over sliding windows: {@link dev.wagateway.stats.MessageStatistics}. */
@NullMarked
package dev.wagateway.stats;

import org.jspecify.annotations.NullMarked;
