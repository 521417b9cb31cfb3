package dev.wagateway.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.alerting.AlertRule;
import dev.wagateway.alerting.BuiltInAlertRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built-in rules (BuiltInAlertRules) and monitoring/prometheus/alerts.yml say the same: every
 * Prometheus alert is built in — with the same severity, {@code for} and threshold (the threshold is
 * one of the numbers the expression compares with) — or listed as not built in, with a reason.
 */
class AlertDriftTest {
  static final Pattern COMPARED = Pattern.compile("(?:>|<|==|>=|<=)\\s*([0-9][0-9.e+]*)");

  /** The differences between the two rule sets, one line each; empty when they agree. */
  static List<String> drift(List<Monitoring.Alert> prometheus, Map<String, Duration> prometheusFor,
      List<AlertRule> builtIn, Map<String, String> notBuiltIn) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Monitoring.Alert a : prometheus) {
      seen.add(a.name());
      AlertRule r = builtIn.stream().filter(x -> x.name().equals(a.name())).findFirst().orElse(null);
      if (r == null) {
        if (!notBuiltIn.containsKey(a.name())) {
          out.add(a.name() + ": in alerts.yml, neither built in nor listed as not built in");
        }
        continue;
      }
      if (!r.severity().tag().equals(a.labels().path("severity").asText())) {
        out.add(a.name() + ": severity " + r.severity().tag() + " built in, " + a.labels().path("severity").asText()
            + " in alerts.yml");
      }
      if (!r.forDuration().equals(prometheusFor.get(a.name()))) {
        out.add(a.name() + ": for " + r.forDuration() + " built in, " + prometheusFor.get(a.name()) + " in alerts.yml");
      }
      List<Double> numbers = new ArrayList<>();
      Matcher m = COMPARED.matcher(a.expr());
      while (m.find()) {
        numbers.add(Double.parseDouble(m.group(1)));
      }
      if (!numbers.contains(r.threshold())) {
        out.add(a.name() + ": threshold " + r.threshold() + " built in, alerts.yml compares with " + numbers);
      }
    }
    for (AlertRule r : builtIn) {
      if (!seen.contains(r.name())) {
        out.add(r.name() + ": built in, missing from alerts.yml");
      }
    }
    for (String n : notBuiltIn.keySet()) {
      if (!seen.contains(n)) {
        out.add(n + ": listed as not built in, but not in alerts.yml");
      }
    }
    return out;
  }

  static Map<String, Duration> forDurations() {
    Map<String, Duration> out = new java.util.HashMap<>();
    for (var group : Monitoring.yaml(MonitoringToolsTest.ALERTS).path("groups")) {
      for (var rule : group.path("rules")) {
        String f = rule.path("for").asText("0m");
        out.put(rule.path("alert").asText(), Duration.parse("PT" + f.toUpperCase(java.util.Locale.ROOT)));
      }
    }
    return out;
  }

  @Test
  void theBuiltInRulesAndAlertsYmlAgree() {
    List<String> d = drift(Monitoring.alerts(MonitoringToolsTest.ALERTS), forDurations(), BuiltInAlertRules.all(),
        BuiltInAlertRules.NOT_BUILT_IN);
    assertThat(d).isEmpty();
    assertThat(BuiltInAlertRules.all()).hasSizeGreaterThanOrEqualTo(14);
  }

  @Test
  void theCheckerSeesAThresholdChangedOnOneSide() {
    List<AlertRule> changed = BuiltInAlertRules.all().stream()
        .map(r -> r.name().equals("WaDeliveryRateLow") ? r.withThreshold(0.95) : r).toList();
    assertThat(drift(Monitoring.alerts(MonitoringToolsTest.ALERTS), forDurations(), changed, BuiltInAlertRules.NOT_BUILT_IN))
        .containsExactly("WaDeliveryRateLow: threshold 0.95 built in, alerts.yml compares with [0.9, 100.0]");
    List<AlertRule> slower = BuiltInAlertRules.all().stream()
        .map(r -> r.name().equals("WaQueueBacklogHigh") ? r.withFor(Duration.ofMinutes(10)) : r).toList();
    assertThat(drift(Monitoring.alerts(MonitoringToolsTest.ALERTS), forDurations(), slower, BuiltInAlertRules.NOT_BUILT_IN))
        .containsExactly("WaQueueBacklogHigh: for PT10M built in, PT5M in alerts.yml");
    List<AlertRule> missing = BuiltInAlertRules.all().stream().filter(r -> !r.name().equals("WaDeadLettersHigh")).toList();
    assertThat(drift(Monitoring.alerts(MonitoringToolsTest.ALERTS), forDurations(), missing, BuiltInAlertRules.NOT_BUILT_IN))
        .containsExactly("WaDeadLettersHigh: in alerts.yml, neither built in nor listed as not built in");
  }
}
