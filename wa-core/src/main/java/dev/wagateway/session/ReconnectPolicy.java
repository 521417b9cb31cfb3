package dev.wagateway.session;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;

/**
 * When a dropped session reconnects: exponential backoff with jitter and a cap (resilience4j's
 * {@link IntervalFunction}), and loop detection: {@code loopThreshold} reconnects within
 * {@code loopWindow} move the session to FAILED instead of hammering WhatsApp. The backoff attempt
 * resets only after a connection stayed up for {@code stableAfter}, so a flapping link backs off too.
 */
public record ReconnectPolicy(
    Duration initialDelay,
    double multiplier,
    double randomization,
    Duration maxDelay,
    int loopThreshold,
    Duration loopWindow,
    Duration stableAfter) {

  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final double DEFAULT_RANDOMIZATION = 0.5;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
  public static final int DEFAULT_LOOP_THRESHOLD = 10;
  public static final Duration DEFAULT_LOOP_WINDOW = Duration.ofMinutes(10);
  public static final Duration DEFAULT_STABLE_AFTER = Duration.ofMinutes(1);

  public ReconnectPolicy {
    positive(initialDelay, "initialDelay");
    positive(maxDelay, "maxDelay");
    positive(loopWindow, "loopWindow");
    Objects.requireNonNull(stableAfter, "stableAfter");
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (randomization < 0 || randomization >= 1) {
      throw new IllegalArgumentException("randomization must be in [0, 1), was " + randomization);
    }
    if (loopThreshold < 2) {
      throw new IllegalArgumentException("loopThreshold must be at least 2, was " + loopThreshold);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must not be below initialDelay");
    }
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
    }
  }

  public static ReconnectPolicy defaults() {
    return new ReconnectPolicy(DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_RANDOMIZATION,
        DEFAULT_MAX_DELAY, DEFAULT_LOOP_THRESHOLD, DEFAULT_LOOP_WINDOW, DEFAULT_STABLE_AFTER);
  }

  /** The backoff as a resilience4j interval function; attempt numbers start at 1. */
  public IntervalFunction intervalFunction() {
    return IntervalFunction.ofExponentialRandomBackoff(
        initialDelay, multiplier, randomization, maxDelay);
  }

  /** The delay before {@code attempt} without jitter, capped; jittered delays lie within ±randomization of it. */
  public Duration baseDelay(int attempt) {
    double millis = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
    return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
  }

  public ReconnectPolicy withLoopDetection(int threshold, Duration window) {
    return new ReconnectPolicy(initialDelay, multiplier, randomization, maxDelay, threshold, window,
        stableAfter);
  }
}
