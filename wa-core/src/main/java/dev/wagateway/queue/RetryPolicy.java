package dev.wagateway.queue;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Retries of transient and rate-limited failures: exponential backoff with jitter (resilience4j's
 * {@link IntervalFunction}) and at most {@code maxAttempts} attempts in all; then the message is
 * dead-lettered. A rate-limit failure waits at least the retry-after the other side gave.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier,
    double randomization, Duration maxDelay) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(2);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final double DEFAULT_RANDOMIZATION = 0.5;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be positive");
    }
    if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be at least initialDelay");
    }
    if (multiplier < 1 || randomization < 0 || randomization >= 1) {
      throw new IllegalArgumentException("multiplier >= 1 and randomization in [0, 1) required");
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER,
        DEFAULT_RANDOMIZATION, DEFAULT_MAX_DELAY);
  }

  /** No retries: the first failure dead-letters. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_RANDOMIZATION,
        DEFAULT_MAX_DELAY);
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, initialDelay, multiplier, randomization, maxDelay);
  }

  public IntervalFunction intervalFunction() {
    return IntervalFunction.ofExponentialRandomBackoff(initialDelay, multiplier, randomization, maxDelay);
  }
}
