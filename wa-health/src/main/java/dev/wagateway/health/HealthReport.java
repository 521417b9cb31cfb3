package dev.wagateway.health;

import java.time.Instant;
import java.util.Map;

/**
 * The result of running checks: the worst status, when, since when the gateway runs, and each check.
 *
 * @param checks by check name, in the order the checks were registered
 */
public record HealthReport(HealthStatus status, Instant timestamp, long uptimeSeconds,
    Map<String, CheckOutcome> checks) {

  /** One check's outcome and how long it took. */
  public record CheckOutcome(HealthStatus status, long durationMs, Map<String, Object> details) {}
}
