package dev.wagateway.queue;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How fast a session may send — WhatsApp bans numbers that send too fast, to too many new contacts,
 * or too much too soon after pairing. Each part can be switched off.
 *
 * @param ratePerSecond token bucket refill rate per session; 0 switches the bucket off
 * @param burst token bucket size
 * @param recipientGap minimum time between two messages to one recipient (Meta's pair rate limit:
 *     about one message per 6 s to the same user); zero switches it off
 * @param warmUp daily caps for newly paired numbers, or null for none
 * @param newContactsPerDay at most this many recipients a session never wrote to before, per day;
 *     0 for no cap
 * @param breakerThreshold this many consecutive failed sends pause the session; 0 for no breaker
 * @param breakerPause how long the breaker pauses sending
 */
public record PacingPolicy(double ratePerSecond, int burst, Duration recipientGap,
    @Nullable WarmUp warmUp, int newContactsPerDay, int breakerThreshold, Duration breakerPause) {

  public static final double DEFAULT_RATE_PER_SECOND = 5;
  public static final int DEFAULT_BURST = 10;
  public static final Duration DEFAULT_RECIPIENT_GAP = Duration.ofSeconds(6);
  public static final int DEFAULT_BREAKER_THRESHOLD = 10;
  public static final Duration DEFAULT_BREAKER_PAUSE = Duration.ofMinutes(1);

  /**
   * Daily caps after pairing: {@code initialDailyLimit} on the first day, multiplied by
   * {@code dailyGrowth} each day, until {@code maxDailyLimit} (then no cap).
   */
  public record WarmUp(int initialDailyLimit, double dailyGrowth, int maxDailyLimit) {
    public WarmUp {
      if (initialDailyLimit < 1 || dailyGrowth < 1 || maxDailyLimit < initialDailyLimit) {
        throw new IllegalArgumentException("warm-up needs initialDailyLimit >= 1, dailyGrowth >= 1"
            + " and maxDailyLimit >= initialDailyLimit");
      }
    }

    /** The cap on day {@code day} (0 = the day of pairing), or -1 once warmed up. */
    public long limitOnDay(long day) {
      double limit = initialDailyLimit * Math.pow(dailyGrowth, Math.max(0, day));
      return limit >= maxDailyLimit ? -1 : (long) limit;
    }
  }

  public PacingPolicy {
    if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be >= 0");
    }
    if (ratePerSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1");
    }
    if (recipientGap == null || recipientGap.isNegative()) {
      throw new IllegalArgumentException("recipientGap must not be negative");
    }
    if (newContactsPerDay < 0 || breakerThreshold < 0) {
      throw new IllegalArgumentException("caps and thresholds must not be negative");
    }
    if (breakerPause == null || breakerPause.isNegative()) {
      throw new IllegalArgumentException("breakerPause must not be negative");
    }
  }

  /** 5 messages/s with bursts of 10, 6 s between messages to one recipient, breaker after 10 failures. */
  public static PacingPolicy defaults() {
    return new PacingPolicy(DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, DEFAULT_RECIPIENT_GAP, null, 0,
        DEFAULT_BREAKER_THRESHOLD, DEFAULT_BREAKER_PAUSE);
  }

  /** No pacing at all: for tests and benchmarks of the pipeline itself. */
  public static PacingPolicy off() {
    return new PacingPolicy(0, 1, Duration.ZERO, null, 0, 0, Duration.ZERO);
  }

  public PacingPolicy withRate(double perSecond, int burst) {
    return new PacingPolicy(perSecond, burst, recipientGap, warmUp, newContactsPerDay,
        breakerThreshold, breakerPause);
  }

  public PacingPolicy withRecipientGap(Duration gap) {
    return new PacingPolicy(ratePerSecond, burst, gap, warmUp, newContactsPerDay, breakerThreshold,
        breakerPause);
  }

  public PacingPolicy withWarmUp(@Nullable WarmUp w) {
    return new PacingPolicy(ratePerSecond, burst, recipientGap, w, newContactsPerDay,
        breakerThreshold, breakerPause);
  }

  public PacingPolicy withNewContactsPerDay(int cap) {
    return new PacingPolicy(ratePerSecond, burst, recipientGap, warmUp, cap, breakerThreshold,
        breakerPause);
  }

  public PacingPolicy withBreaker(int threshold, Duration pause) {
    return new PacingPolicy(ratePerSecond, burst, recipientGap, warmUp, newContactsPerDay,
        threshold, pause);
  }
}
