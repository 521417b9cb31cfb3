package dev.wagateway.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A read-only view of the outbound queue, for metrics and health. */
public interface QueueStats {

  /** Counts per session. */
  Map<String, QueueCounts> bySession();

  /** Counts over all sessions. */
  default QueueCounts total() {
    return bySession().values().stream().reduce(QueueCounts.ZERO, QueueCounts::plus);
  }

  /** Sessions whose sending is paused (failure breaker or rate limit), now. */
  Set<String> pausedSessions();

  /** Rate-limit answers from the engine and pacing waits, counted by limit name since start. */
  Map<String, Long> rateLimitHits();

  /** The same counts per session: session id → limit name → count. */
  Map<String, Map<String, Long>> rateLimitHitsBySession();

  /** Messages that reached SENT since start. */
  long sent();

  /** Average time from being due to the engine call, over recent sends (the dispatch lag). */
  Duration recentDispatchLag();
}
