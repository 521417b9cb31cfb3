package dev.wagateway.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Webhook delivery settings.
 *
 * @param schedule delay before each attempt: the first is usually zero; its length is the number of
 *     attempts (default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)
 * @param disableAfter an endpoint failing without a success for this long is disabled (5 days)
 * @param disableAfterConsecutiveFailures or after this many failed attempts in a row; 0: off
 * @param attemptTimeout the longest the gateway waits for a deliverer's answer
 * @param retention how long DELIVERED deliveries stay in the log
 */
public record WebhookConfig(List<Duration> schedule, Duration disableAfter,
    int disableAfterConsecutiveFailures, Duration attemptTimeout, Duration retention) {

  public static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(5),
      Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
      Duration.ofHours(10), Duration.ofHours(10));
  public static final Duration DEFAULT_DISABLE_AFTER = Duration.ofDays(5);
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(3);

  public WebhookConfig {
    schedule = List.copyOf(schedule);
    if (schedule.isEmpty() || schedule.stream().anyMatch(d -> d == null || d.isNegative())) {
      throw new IllegalArgumentException("the schedule needs at least one non-negative delay");
    }
    Objects.requireNonNull(disableAfter, "disableAfter");
    Objects.requireNonNull(retention, "retention");
    if (disableAfterConsecutiveFailures < 0) {
      throw new IllegalArgumentException("disableAfterConsecutiveFailures must be >= 0");
    }
    if (attemptTimeout == null || attemptTimeout.isZero() || attemptTimeout.isNegative()) {
      throw new IllegalArgumentException("attemptTimeout must be positive");
    }
  }

  public static WebhookConfig defaults() {
    return new WebhookConfig(DEFAULT_SCHEDULE, DEFAULT_DISABLE_AFTER, 0, DEFAULT_ATTEMPT_TIMEOUT,
        DEFAULT_RETENTION);
  }

  public WebhookConfig withSchedule(List<Duration> s) {
    return new WebhookConfig(s, disableAfter, disableAfterConsecutiveFailures, attemptTimeout, retention);
  }

  public WebhookConfig withDisableAfter(Duration after, int consecutiveFailures) {
    return new WebhookConfig(schedule, after, consecutiveFailures, attemptTimeout, retention);
  }

  public WebhookConfig withAttemptTimeout(Duration t) {
    return new WebhookConfig(schedule, disableAfter, disableAfterConsecutiveFailures, t, retention);
  }
}
