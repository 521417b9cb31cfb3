package dev.wagateway.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * The outbound queue's settings.
 *
 * @param maxQueued messages accepted and not yet finished (sent, dead-lettered or cancelled), over
 *     all sessions; past it {@code send} rejects or blocks
 * @param overflow what {@code send} does when the queue is full
 * @param blockTimeout with {@link Overflow#BLOCK}: how long {@code send} waits for room
 * @param idempotencyWindow how long an idempotency key maps to its first message
 * @param claimBatch how many messages a dispatcher claims at once
 */
public record QueueConfig(int maxQueued, Overflow overflow, Duration blockTimeout,
    Duration idempotencyWindow, int claimBatch, RetryPolicy retry, PacingPolicy pacing) {

  public static final int DEFAULT_MAX_QUEUED = 100_000;
  public static final Duration DEFAULT_BLOCK_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
  public static final int DEFAULT_CLAIM_BATCH = 64;

  /** What a full queue does to {@code send}. */
  public enum Overflow {
    /** Throw {@link dev.wagateway.QueueFullException} at once. */
    REJECT,
    /** Wait up to {@code blockTimeout} for room, then throw. */
    BLOCK
  }

  public QueueConfig {
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1, was " + maxQueued);
    }
    Objects.requireNonNull(overflow, "overflow");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(pacing, "pacing");
    if (blockTimeout == null || blockTimeout.isNegative()) {
      throw new IllegalArgumentException("blockTimeout must not be negative");
    }
    if (idempotencyWindow == null || idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
      throw new IllegalArgumentException("idempotencyWindow must be positive");
    }
    if (claimBatch < 1) {
      throw new IllegalArgumentException("claimBatch must be at least 1");
    }
  }

  public static QueueConfig defaults() {
    return new QueueConfig(DEFAULT_MAX_QUEUED, Overflow.REJECT, DEFAULT_BLOCK_TIMEOUT,
        DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_CLAIM_BATCH, RetryPolicy.defaults(), PacingPolicy.defaults());
  }

  public QueueConfig withMaxQueued(int max, Overflow overflow, Duration blockTimeout) {
    return new QueueConfig(max, overflow, blockTimeout, idempotencyWindow, claimBatch, retry, pacing);
  }

  public QueueConfig withRetry(RetryPolicy r) {
    return new QueueConfig(maxQueued, overflow, blockTimeout, idempotencyWindow, claimBatch, r, pacing);
  }

  public QueueConfig withPacing(PacingPolicy p) {
    return new QueueConfig(maxQueued, overflow, blockTimeout, idempotencyWindow, claimBatch, retry, p);
  }

  public QueueConfig withIdempotencyWindow(Duration w) {
    return new QueueConfig(maxQueued, overflow, blockTimeout, w, claimBatch, retry, pacing);
  }
}
