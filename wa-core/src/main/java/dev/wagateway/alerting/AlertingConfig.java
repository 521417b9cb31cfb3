package dev.wagateway.alerting;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the built-in alerting.
 *
 * @param interval how often the rules are evaluated
 * @param repeatInterval how often a firing alert that nobody acknowledged notifies again
 */
public record AlertingConfig(boolean enabled, Duration interval, Duration repeatInterval, List<AlertRule> rules) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  public AlertingConfig {
    if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("interval must be at least 100 ms");
    }
    if (repeatInterval == null || repeatInterval.isNegative() || repeatInterval.isZero()) {
      throw new IllegalArgumentException("repeatInterval must be positive");
    }
    rules = List.copyOf(rules);
    if (rules.stream().map(AlertRule::name).distinct().count() != rules.size()) {
      throw new IllegalArgumentException("rule names must be unique");
    }
  }

  /** On, every 15 s, repeats every 4 h, the built-in rules. */
  public static AlertingConfig defaults() {
    return new AlertingConfig(true, DEFAULT_INTERVAL, DEFAULT_REPEAT_INTERVAL, BuiltInAlertRules.all());
  }

  public static AlertingConfig disabled() {
    return new AlertingConfig(false, DEFAULT_INTERVAL, DEFAULT_REPEAT_INTERVAL, List.of());
  }

  public AlertingConfig withInterval(Duration d) {
    return new AlertingConfig(enabled, d, repeatInterval, rules);
  }

  public AlertingConfig withRepeatInterval(Duration d) {
    return new AlertingConfig(enabled, interval, d, rules);
  }

  public AlertingConfig withRules(List<AlertRule> r) {
    return new AlertingConfig(enabled, interval, repeatInterval, r);
  }

  /** The same rules with one rule's threshold changed. */
  public AlertingConfig withThreshold(String rule, double threshold) {
    if (rules.stream().noneMatch(r -> r.name().equals(rule))) {
      throw new IllegalArgumentException("no rule named " + rule);
    }
    return withRules(rules.stream().map(r -> r.name().equals(rule) ? r.withThreshold(threshold) : r).toList());
  }
}
