package dev.wagateway.alerting;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's built-in alerting, for deployments without Prometheus: the rules, the alerts now
 * pending or firing, acknowledgements, silences and a test notification. Notifications are gateway
 * events ({@code alert.firing}, {@code alert.resolved}), so they reach webhooks, event streams and logs.
 */
public interface Alerts {

  /** The rules evaluated, with their thresholds. */
  List<AlertRule> rules();

  /** Alerts pending or firing now. */
  List<Alert> active();

  /**
   * Stops repeat notifications of a firing alert until it resolves.
   *
   * @param session the instance's session, or empty for a gateway-wide alert
   * @return false if no such alert is firing
   */
  boolean acknowledge(String rule, String session);

  /**
   * Mutes notifications of a rule, a session, or both until {@code until}.
   *
   * @throws dev.wagateway.ValidationException if neither rule nor session is given, the rule is
   *     unknown, or {@code until} is not in the future
   */
  Silence silence(@Nullable String rule, @Nullable String session, Instant until, String reason);

  /** Silences in force now. */
  List<Silence> silences();

  /** Ends a silence early; false if there is none with that id. */
  boolean unsilence(String silenceId);

  /** Publishes a clearly marked test {@code alert.firing} event (rule {@code TestAlert}, test true). */
  void testFire(String reason);
}
