package dev.wagateway.alerting;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Mutes notifications until {@code until}: of one rule, of one session, or of one rule for one
 * session (null matches any). Alerts keep their state while silenced; only notifications stop.
 */
public record Silence(String id, @Nullable String rule, @Nullable String session, Instant until, String reason,
    Instant createdAt) {

  public boolean matches(String alertRule, String alertSession, Instant now) {
    return now.isBefore(until) && (rule == null || rule.equals(alertRule))
        && (session == null || session.equals(alertSession));
  }
}
