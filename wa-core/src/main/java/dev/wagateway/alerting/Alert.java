package dev.wagateway.alerting;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An alert instance that is pending or firing now.
 *
 * @param session the session it is about, or empty for the gateway as a whole
 * @param since when its condition became true
 * @param firingSince when it started firing, or null while pending
 * @param lastNotified when an {@code alert.firing} event was last published for it, or null
 * @param silencedBy the id of the silence that mutes it, or null
 */
public record Alert(String rule, AlertRule.Severity severity, String session, State state, double value,
    double threshold, Instant since, @Nullable Instant firingSince, boolean acknowledged,
    @Nullable String silencedBy, @Nullable Instant lastNotified) {

  public enum State {
    PENDING,
    FIRING
  }
}
