package dev.wagateway.alerting;

import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.stats.MessageStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What alert conditions read on a tick: the gateway's views at that moment, the business statistics
 * over windows, and increases of counters over windows (from samples taken on every tick, kept for
 * {@link #HISTORY}), the way Prometheus' {@code increase()} reads a counter. Read-only.
 */
public interface AlertInputs {
  /** How far back counter samples reach: the longest window a built-in rule uses, plus a margin. */
  Duration HISTORY = Duration.ofMinutes(20);

  /** Sampled counters. */
  enum Counter {
    /** Reconnects scheduled, per session. */
    RECONNECTS,
    /** Rate-limit answers from WhatsApp (not the gateway's own pacing), per session. */
    ENGINE_RATE_LIMITS,
    /** Webhook delivery attempts, gateway-wide (key ""). */
    WEBHOOK_ATTEMPTS,
    /** Webhook delivery attempts that did not succeed, gateway-wide (key ""). */
    WEBHOOK_FAILURES
  }

  /** The tick's time. */
  Instant now();

  List<SessionInfo> sessions();

  Map<String, QueueCounts> queues();

  QueueCounts queueTotal();

  int disabledWebhookEndpoints();

  MessageStatistics.Snapshot statistics(Duration window);

  /** Used heap over the largest heap the JVM may use. */
  double heapUsedRatio();

  /** Keys (sessions, or "") that a sampled counter has values for. */
  Set<String> keys(Counter c);

  /**
   * How much {@code c} of {@code key} grew over the last {@code window}: now minus the newest sample
   * at or before the window's start (the oldest sample when history is shorter, as after a start).
   */
  long increase(Counter c, String key, Duration window);
}
