package dev.wagateway.alerting;

import dev.wagateway.alerting.AlertInputs.Counter;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionState;
import dev.wagateway.stats.MessageStatistics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in rules: the alerts of monitoring/prometheus/alerts.yml that the gateway can judge from
 * inside, with the same names, thresholds and {@code for} durations (a test fails when the two
 * drift apart). Not built in, and why ({@link #NOT_BUILT_IN}): a process cannot see itself down,
 * the latency and HTTP alerts read histograms the core does not keep, storage comes with the file
 * stores.
 */
public final class BuiltInAlertRules {
  /** The least time between two notifications of one alert instance. */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

  /** alerts.yml rules without a built-in twin, with the reason. */
  public static final Map<String, String> NOT_BUILT_IN = Map.of(
      "WaGatewayDown", "a process cannot observe that it is down: that needs an outside scraper",
      "WaStorageAlmostFull", "the core has no file-backed store; it comes with wa-jdbc",
      "WaQueueLatencyHigh", "the core keeps no latency histogram (Micrometer does)",
      "WaQueueLatencyCritical", "the core keeps no latency histogram (Micrometer does)",
      "WaDispatchLagHigh", "the core keeps only a recent average of the dispatch lag, not its p99",
      "WaHttp5xxHigh", "HTTP requests are the embedding server's, not the library's",
      "WaHttpLatencyHigh", "HTTP requests are the embedding server's, not the library's");

  private BuiltInAlertRules() {}

  private static AlertRule rule(String name, AlertRule.Severity sev, String summary, double threshold,
      Duration forDuration, AlertRule.Condition c) {
    return new AlertRule(name, sev, summary, threshold, forDuration, DEFAULT_COOLDOWN, c);
  }

  private static Map<String, Double> gateway(double value, boolean breached) {
    return breached ? Map.of("", value) : Map.of();
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  /** The built-in rules with their default thresholds. */
  public static List<AlertRule> all() {
    AlertRule.Severity w = AlertRule.Severity.WARNING;
    AlertRule.Severity c = AlertRule.Severity.CRITICAL;
    return List.of(
        rule("WaMemoryHigh", w, "heap above 90% of its max", 0.9, Duration.ofMinutes(10),
            (in, t) -> gateway(in.heapUsedRatio(), in.heapUsedRatio() > t)),
        rule("WaSessionDisconnected", w, "a session has been disconnected for 5 minutes", 0, Duration.ofMinutes(5),
            (in, t) -> {
              Map<String, Double> out = new HashMap<>();
              for (SessionInfo s : in.sessions()) {
                double status = s.state() == SessionState.CONNECTED ? 1 : 0;
                if (status == t) {
                  out.put(s.id(), status);
                }
              }
              return out;
            }),
        rule("WaReconnectLoop", w, "a session reconnected more than 5 times in 10 minutes", 5, Duration.ZERO,
            (in, t) -> perKey(in, Counter.RECONNECTS, Duration.ofMinutes(10), t)),
        rule("WaSendFailureRateHigh", w, "more than 10% of send attempts fail", 0.10, Duration.ofMinutes(5),
            (in, t) -> {
              MessageStatistics.Snapshot s = in.statistics(Duration.ofMinutes(5));
              double r = ratio(s.failedAttempts(), s.sent() + s.failedAttempts());
              return gateway(r, r > t);
            }),
        rule("WaSendFailuresBurst", w, "more than 50 send attempts failed in 10 minutes", 50, Duration.ZERO,
            (in, t) -> {
              long n = in.statistics(Duration.ofMinutes(10)).failedAttempts();
              return gateway(n, n > t);
            }),
        rule("WaDeliveryRateLow", w, "fewer than 90% of the messages sent in the last hour were delivered", 0.9,
            Duration.ofMinutes(15), (in, t) -> {
              MessageStatistics.Snapshot s = in.statistics(Duration.ofHours(1));
              double r = ratio(s.delivered(), s.sent());
              return gateway(r, s.sent() > 100 && r < t);
            }),
        rule("WaRateLimitHitsRising", w, "WhatsApp rate-limited a session more than 10 times in 15 minutes", 10,
            Duration.ZERO, (in, t) -> perKey(in, Counter.ENGINE_RATE_LIMITS, Duration.ofMinutes(15), t)),
        rule("WaQueueBacklogHigh", w, "more than 10,000 messages wait", 10_000, Duration.ofMinutes(5),
            (in, t) -> gateway(in.queueTotal().waiting(), in.queueTotal().waiting() > t)),
        rule("WaQueueBacklogCritical", c, "more than 50,000 messages wait", 50_000, Duration.ofMinutes(5),
            (in, t) -> gateway(in.queueTotal().waiting(), in.queueTotal().waiting() > t)),
        rule("WaDeadLettersHigh", w, "more than 1,000 messages are dead-lettered", 1_000, Duration.ofMinutes(5),
            (in, t) -> gateway(in.queueTotal().deadLettered(), in.queueTotal().deadLettered() > t)),
        rule("WaQueueStalled", c, "messages wait and none was sent or failed in 10 minutes", 0, Duration.ofMinutes(10),
            (in, t) -> {
              QueueCounts q = in.queueTotal();
              MessageStatistics.Snapshot s = in.statistics(Duration.ofMinutes(10));
              return gateway(q.waiting(), q.waiting() > t && s.sent() == 0 && s.failedAttempts() == 0);
            }),
        rule("WaWebhookFailureRateHigh", w, "more than 10% of webhook attempts fail", 0.10, Duration.ofMinutes(5),
            (in, t) -> webhookFailures(in, t)),
        rule("WaWebhookFailureRateCritical", c, "more than 20% of webhook attempts fail", 0.20, Duration.ofMinutes(5),
            (in, t) -> webhookFailures(in, t)),
        rule("WaWebhookEndpointDisabled", w, "a webhook endpoint is disabled", 0, Duration.ZERO,
            (in, t) -> gateway(in.disabledWebhookEndpoints(), in.disabledWebhookEndpoints() > t)));
  }

  private static Map<String, Double> perKey(AlertInputs in, Counter counter, Duration window, double t) {
    Map<String, Double> out = new HashMap<>();
    for (String k : in.keys(counter)) {
      long n = in.increase(counter, k, window);
      if (n > t) {
        out.put(k, (double) n);
      }
    }
    return out;
  }

  private static Map<String, Double> webhookFailures(AlertInputs in, double t) {
    long all = in.increase(Counter.WEBHOOK_ATTEMPTS, "", Duration.ofMinutes(5));
    long failed = in.increase(Counter.WEBHOOK_FAILURES, "", Duration.ofMinutes(5));
    double r = ratio(failed, all);
    return gateway(r, all > 0 && r > t);
  }
}
