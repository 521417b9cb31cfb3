package dev.wagateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounded session tag values: the first {@code max} sessions keep their id, later ones share
 * {@link WaMetricNames#OTHER}. One instance per binder, so a session keeps its value for the life of
 * the process (a tag that changed would split its series).
 */
final class SessionTags {
  private final int max;
  private final Map<String, String> tags = new ConcurrentHashMap<>();

  SessionTags(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxSessionTags must be at least 1, was " + max);
    }
    this.max = max;
  }

  String of(String sessionId) {
    String t = tags.get(sessionId);
    if (t != null) {
      return t;
    }
    synchronized (tags) {
      return tags.computeIfAbsent(sessionId, id -> tags.size() < max ? id : WaMetricNames.OTHER);
    }
  }
}
