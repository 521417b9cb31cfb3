package dev.wagateway.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one check found. {@code details} hold plain values (strings, numbers, booleans, lists and
 * maps of them) and never secrets or full phone numbers.
 */
public record HealthResult(HealthStatus status, Map<String, Object> details) {
  public HealthResult {
    Objects.requireNonNull(status, "status");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static HealthResult up() {
    return new HealthResult(HealthStatus.UP, Map.of());
  }

  public static HealthResult of(HealthStatus status, Map<String, Object> details) {
    return new HealthResult(status, details);
  }

  public static HealthResult degraded(String reason) {
    return new HealthResult(HealthStatus.DEGRADED, Map.of("reason", reason));
  }

  public static HealthResult down(String reason) {
    return new HealthResult(HealthStatus.DOWN, Map.of("reason", reason));
  }
}
