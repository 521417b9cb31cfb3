package dev.wagateway.alerting;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One alert rule: a condition evaluated on every tick, true for some instances (a session, or the
 * gateway as a whole: the empty key) with the value that made it true; an instance that stays true
 * for {@code forDuration} fires. Names and thresholds of the built-in rules are those of
 * monitoring/prometheus/alerts.yml ({@link BuiltInAlertRules}).
 *
 * @param threshold the value the condition compares with (for display and configuration)
 * @param cooldown the least time between two notifications of one instance (a flapping alert
 *     notifies once per cooldown)
 */
public record AlertRule(String name, Severity severity, String summary, double threshold, Duration forDuration,
    Duration cooldown, Condition condition) {

  public enum Severity {
    CRITICAL,
    WARNING;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What is over the threshold now: instance key (a session id, or "" for the gateway) → its value. */
  @FunctionalInterface
  public interface Condition {
    Map<String, Double> breaches(AlertInputs in, double threshold);
  }

  public AlertRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(condition, "condition");
    if (forDuration == null || forDuration.isNegative() || cooldown == null || cooldown.isNegative()) {
      throw new IllegalArgumentException(name + ": for and cooldown must not be negative");
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException(name + ": the threshold must be a finite number");
    }
  }

  public AlertRule withThreshold(double t) {
    return new AlertRule(name, severity, summary, t, forDuration, cooldown, condition);
  }

  public AlertRule withFor(Duration d) {
    return new AlertRule(name, severity, summary, threshold, d, cooldown, condition);
  }

  public AlertRule withCooldown(Duration d) {
    return new AlertRule(name, severity, summary, threshold, forDuration, d, condition);
  }
}
