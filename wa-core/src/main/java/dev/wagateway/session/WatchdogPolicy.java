package dev.wagateway.session;

import java.time.Duration;

/**
 * The liveness watchdog: a CONNECTED session that has seen no frame or keep-alive answer for
 * {@code silenceTimeout} becomes DEGRADED and is probed on every sweep; if it stays silent for {@code probeGrace}
 * more, it is reconnected. {@code checkInterval} is how often sessions are swept.
 */
public record WatchdogPolicy(
    boolean enabled, Duration silenceTimeout, Duration probeGrace, Duration checkInterval) {

  /** WhatsApp Web pings about every 25 s, so 90 s is three missed answers. */
  public static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofSeconds(90);
  public static final Duration DEFAULT_PROBE_GRACE = Duration.ofSeconds(20);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

  public WatchdogPolicy {
    for (var d : new Duration[] {silenceTimeout, probeGrace, checkInterval}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("watchdog durations must be positive, got " + d);
      }
    }
  }

  public static WatchdogPolicy defaults() {
    return new WatchdogPolicy(true, DEFAULT_SILENCE_TIMEOUT, DEFAULT_PROBE_GRACE,
        DEFAULT_CHECK_INTERVAL);
  }

  public static WatchdogPolicy disabled() {
    return new WatchdogPolicy(false, DEFAULT_SILENCE_TIMEOUT, DEFAULT_PROBE_GRACE,
        DEFAULT_CHECK_INTERVAL);
  }
}
