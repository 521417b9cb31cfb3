package dev.wagateway.internal;

import dev.wagateway.ValidationException;
import dev.wagateway.WaGateway;
import dev.wagateway.alerting.Alert;
import dev.wagateway.alerting.AlertRule;
import dev.wagateway.alerting.Alerts;
import dev.wagateway.alerting.AlertingConfig;
import dev.wagateway.alerting.Silence;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.stats.MessageStatistics;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on every tick: an instance whose condition holds is PENDING, and FIRING
 * once it has held for the rule's {@code for}; a firing instance notifies ({@code alert.firing})
 * unless silenced or within its cooldown, notifies again every repeat interval unless acknowledged,
 * and publishes {@code alert.resolved} when its condition stops holding (if it had notified).
 */
final class AlertEvaluator implements Alerts {
  private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
  private final GatewayContext ctx;
  private final AlertingConfig config;
  private final SampledAlertInputs inputs;
  private final Map<String, AlertRule> rules = new LinkedHashMap<>();
  /** rule → session → state; guarded by this. */
  private final Map<String, Map<String, Instance>> active = new HashMap<>();
  /** rule + session → last notification, kept across a resolve so a flapping alert respects its cooldown. */
  private final Map<String, Instant> lastNotified = new HashMap<>();
  private final List<Silence> silences = new CopyOnWriteArrayList<>();
  private @Nullable Cancellable ticker;

  private static final class Instance {
    final Instant since;
    double value;
    @Nullable Instant firingSince;
    @Nullable Instant notifiedAt;
    boolean acknowledged;

    Instance(Instant since, double value) {
      this.since = since;
      this.value = value;
    }
  }

  AlertEvaluator(GatewayContext ctx, WaGateway gateway, MessageStatistics statistics, AlertingConfig config) {
    this.ctx = ctx;
    this.config = config;
    this.inputs = new SampledAlertInputs(gateway, statistics);
    config.rules().forEach(r -> rules.put(r.name(), r));
    ctx.bus().subscribe(e -> inputs.reconnected(e.sessionId()), SubscribeOptions.sync("alerting-reconnects")
        .withFilter(e -> e instanceof GatewayEvent.ReconnectScheduled));
  }

  void start() {
    if (config.enabled() && ticker == null) {
      synchronized (this) {
        inputs.refresh(ctx.scheduler().now()); // the counters' starting point: increases count from here
      }
      ticker = ctx.scheduler().scheduleAtFixedRate(config.interval(), config.interval(), this::tick);
    }
  }

  void stop() {
    if (ticker != null) {
      ticker.cancel();
      ticker = null;
    }
  }

  /** One evaluation of every rule, on the gateway's scheduler. */
  private synchronized void tick() {
    Instant now = ctx.scheduler().now();
    inputs.refresh(now);
    silences.removeIf(s -> !now.isBefore(s.until()));
    for (AlertRule rule : rules.values()) {
      Map<String, Double> breaches;
      try {
        breaches = rule.condition().breaches(inputs, rule.threshold());
      } catch (RuntimeException e) {
        log.warn("alert rule {} could not be evaluated: {}", rule.name(), e.toString());
        continue;
      }
      Map<String, Instance> states = active.computeIfAbsent(rule.name(), k -> new HashMap<>());
      for (Map.Entry<String, Double> b : breaches.entrySet()) {
        Instance in = states.computeIfAbsent(b.getKey(), k -> new Instance(now, b.getValue()));
        in.value = b.getValue();
        if (in.firingSince == null && !now.isBefore(in.since.plus(rule.forDuration()))) {
          in.firingSince = now;
        }
        // the first notification (also one a silence or the cooldown held back), then the repeats
        if (in.firingSince != null && !in.acknowledged
            && (in.notifiedAt == null || !now.isBefore(in.notifiedAt.plus(config.repeatInterval())))) {
          notifyFiring(rule, b.getKey(), in, now);
        }
      }
      for (Iterator<Map.Entry<String, Instance>> it = states.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Instance> e = it.next();
        if (!breaches.containsKey(e.getKey())) {
          it.remove();
          if (e.getValue().notifiedAt != null) {
            log.info("alert {} resolved{}", rule.name(), e.getKey().isEmpty() ? "" : " for session " + e.getKey());
            ctx.bus().publish(new GatewayEvent.AlertResolved(ctx.ids().next("evt"), now, e.getKey(), rule.name(),
                rule.severity().tag(), e.getValue().firingSince));
          }
        }
      }
    }
  }

  private void notifyFiring(AlertRule rule, String session, Instance in, Instant now) {
    if (silencedBy(rule.name(), session, now) != null) {
      return;
    }
    String key = rule.name() + "\u0000" + session;
    Instant last = lastNotified.get(key);
    if (last != null && now.isBefore(last.plus(rule.cooldown())) && in.notifiedAt == null) {
      return; // flapping: it notified within the cooldown already
    }
    in.notifiedAt = now;
    lastNotified.put(key, now);
    log.warn("alert {} firing{}: {} (value {}, threshold {})", rule.name(),
        session.isEmpty() ? "" : " for session " + session, rule.summary(), in.value, rule.threshold());
    ctx.bus().publish(new GatewayEvent.AlertFiring(ctx.ids().next("evt"), now, session, rule.name(),
        rule.severity().tag(), rule.summary(), in.value, rule.threshold(), false));
  }

  private @Nullable String silencedBy(String rule, String session, Instant now) {
    for (Silence s : silences) {
      if (s.matches(rule, session, now)) {
        return s.id();
      }
    }
    return null;
  }

  @Override
  public List<AlertRule> rules() {
    return List.copyOf(rules.values());
  }

  @Override
  public synchronized List<Alert> active() {
    Instant now = ctx.scheduler().now();
    List<Alert> out = new ArrayList<>();
    active.forEach((ruleName, states) -> states.forEach((session, in) -> {
      AlertRule r = rules.get(ruleName);
      out.add(new Alert(ruleName, r.severity(), session, in.firingSince == null ? Alert.State.PENDING
          : Alert.State.FIRING, in.value, r.threshold(), in.since, in.firingSince, in.acknowledged,
          silencedBy(ruleName, session, now), in.notifiedAt));
    }));
    return out;
  }

  @Override
  public synchronized boolean acknowledge(String rule, String session) {
    Instance in = active.getOrDefault(rule, Map.of()).get(session == null ? "" : session);
    if (in == null || in.firingSince == null) {
      return false;
    }
    in.acknowledged = true;
    return true;
  }

  @Override
  public Silence silence(@Nullable String rule, @Nullable String session, Instant until, String reason) {
    ValidationException.require(rule != null || session != null, "rule", "a silence names a rule, a session or both");
    ValidationException.require(rule == null || rules.containsKey(rule), "rule", "no rule named '" + rule + "'");
    Instant now = ctx.scheduler().now();
    ValidationException.require(until != null && until.isAfter(now), "until", "must be in the future");
    ValidationException.require(reason != null && !reason.isBlank() && reason.length() <= 500, "reason",
        "say why, in 1 to 500 characters");
    Silence s = new Silence(ctx.ids().next("sil"), rule, session, until, reason, now);
    silences.add(s);
    log.info("silence {} until {} for rule {} session {}: {}", s.id(), until, rule == null ? "any" : rule,
        session == null ? "any" : session, reason);
    return s;
  }

  @Override
  public List<Silence> silences() {
    Instant now = ctx.scheduler().now();
    return silences.stream().filter(s -> now.isBefore(s.until())).toList();
  }

  @Override
  public boolean unsilence(String silenceId) {
    return silences.removeIf(s -> s.id().equals(Objects.requireNonNull(silenceId, "silenceId")));
  }

  @Override
  public void testFire(String reason) {
    String why = reason == null || reason.isBlank() ? "no reason given" : reason;
    ctx.bus().publish(new GatewayEvent.AlertFiring(ctx.ids().next("evt"), ctx.scheduler().now(), "", "TestAlert",
        "warning", "TEST ALERT (not a real problem): " + why, 0, 0, true));
  }

  Duration interval() {
    return config.interval();
  }
}
