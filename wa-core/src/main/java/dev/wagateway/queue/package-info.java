/**
 * The outbound queue: the {@link dev.wagateway.queue.QueueStore} SPI, its in-memory implementation,
 * retry and pacing policies, dead letters and read-only queue statistics.
 */
@NullMarked
package dev.wagateway.queue;

import org.jspecify.annotations.NullMarked;
