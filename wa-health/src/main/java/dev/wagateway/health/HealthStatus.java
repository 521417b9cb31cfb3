package dev.wagateway.health;

/** Worst wins: DOWN over DEGRADED over UP. Only DOWN makes the HTTP answer 503. */
public enum HealthStatus {
  UP,
  /** Working, with something an operator should look at (a disconnected session, a backlog). */
  DEGRADED,
  /** Not able to do its job (a store unreachable, the scheduler stalled). */
  DOWN;

  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
