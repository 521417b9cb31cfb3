package dev.wagateway.health;

import java.util.Set;
import java.util.function.Supplier;

/**
 * One aspect of health. {@link #check()} may block (it runs with a timeout) and may throw (that is
 * DOWN). {@link #groups()} says which probes include it.
 */
public interface HealthCheck {

  /** Which endpoints a check belongs to; {@code /health} shows every check. */
  enum Group {
    /** {@code /health/live}: is the process able to work at all? A failure means restart it. */
    LIVENESS,
    /** {@code /health/ready}: should it get traffic now? A failure means route around it. */
    READINESS
  }

  String name();

  HealthResult check();

  default Set<Group> groups() {
    return Set.of(Group.READINESS);
  }

  /** A check from a supplier. */
  static HealthCheck of(String name, Set<Group> groups, Supplier<HealthResult> check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthResult check() {
        return check.get();
      }

      @Override
      public Set<Group> groups() {
        return groups;
      }
    };
  }
}
