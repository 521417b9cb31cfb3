package dev.wagateway.health;

import dev.wagateway.WaGateway;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionState;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookSubscription;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in checks of a gateway; {@link #all} returns them with their defaults. docs/health.md
 * says what each means and what an operator does about it.
 */
public final class GatewayChecks {
  public static final Duration DEFAULT_DISCONNECTED_AFTER = Duration.ofMinutes(2);
  public static final Duration DEFAULT_SILENT_AFTER = Duration.ofMinutes(5);
  public static final long DEFAULT_BACKLOG_THRESHOLD = 10_000;
  public static final long DEFAULT_DEAD_LETTER_THRESHOLD = 1_000;
  public static final double DEFAULT_HEAP_THRESHOLD = 0.90;
  public static final Duration DEFAULT_HEARTBEAT_STALE_AFTER = Duration.ofSeconds(10);

  private GatewayChecks() {}

  /** Every built-in check with its defaults. */
  public static List<HealthCheck> all(WaGateway gw, Clock clock) {
    List<HealthCheck> checks = new java.util.ArrayList<>(List.of(running(gw),
        scheduler(gw, clock, DEFAULT_HEARTBEAT_STALE_AFTER), stores(gw),
        sessions(gw, clock, DEFAULT_DISCONNECTED_AFTER), silentSessions(gw, clock, DEFAULT_SILENT_AFTER),
        queue(gw, DEFAULT_BACKLOG_THRESHOLD, DEFAULT_DEAD_LETTER_THRESHOLD), webhooks(gw),
        memory(DEFAULT_HEAP_THRESHOLD)));
    if (gw.mediaStore().isPresent()) {
      checks.add(media(gw));
    }
    return List.copyOf(checks);
  }

  /** Readiness: the media store can be written (a file written and removed, or the bucket answers). */
  public static HealthCheck media(WaGateway gw) {
    return HealthCheck.of("media", Set.of(HealthCheck.Group.READINESS), () -> {
      var store = gw.mediaStore().orElse(null);
      if (store == null) {
        return HealthResult.up();
      }
      try {
        store.ping();
        return HealthResult.up();
      } catch (java.io.IOException | RuntimeException e) {
        return HealthResult.down("the media store cannot be reached or written: " + e.getMessage());
      }
    });
  }

  private static final Set<HealthCheck.Group> BOTH =
      Set.of(HealthCheck.Group.LIVENESS, HealthCheck.Group.READINESS);
  private static final Set<HealthCheck.Group> NONE = Set.of();

  /** Ready only between start and close (not while shutting down). */
  public static HealthCheck running(WaGateway gw) {
    return HealthCheck.of("gateway", Set.of(HealthCheck.Group.READINESS), () -> gw.isRunning()
        ? HealthResult.up() : HealthResult.down("the gateway is not running (not started, or shutting down)"));
  }

  /** Liveness: the scheduler that runs every timer has run its heartbeat recently. */
  public static HealthCheck scheduler(WaGateway gw, Clock clock, Duration staleAfter) {
    return HealthCheck.of("scheduler", BOTH, () -> {
      if (!gw.isRunning()) {
        return HealthResult.up(); // nothing should beat before start or after close
      }
      Duration since = Duration.between(gw.lastHeartbeat(), clock.instant());
      Map<String, Object> d = Map.of("lastHeartbeat", gw.lastHeartbeat().toString(), "ageMs", since.toMillis());
      return HealthResult.of(since.compareTo(staleAfter) > 0 ? HealthStatus.DOWN : HealthStatus.UP, d);
    });
  }

  /** Readiness: every store answers. */
  public static HealthCheck stores(WaGateway gw) {
    return HealthCheck.of("stores", Set.of(HealthCheck.Group.READINESS), () -> {
      gw.pingStores(); // throws, naming the store: DOWN with that message
      return HealthResult.up();
    });
  }

  /**
   * Sessions that should be connected and have not been for longer than {@code after} make the
   * service DEGRADED (never DOWN: other sessions still work). A session that needs an operator
   * (logged out, restricted, failed) is DEGRADED at once.
   */
  public static HealthCheck sessions(WaGateway gw, Clock clock, Duration after) {
    return HealthCheck.of("sessions", NONE, () -> {
      Instant now = clock.instant();
      Map<String, Object> per = new LinkedHashMap<>();
      int connected = 0;
      int troubled = 0;
      for (SessionInfo s : gw.sessions().list()) {
        boolean needsOperator = s.state() == SessionState.LOGGED_OUT || s.state() == SessionState.RESTRICTED
            || s.state() == SessionState.FAILED;
        boolean wantsConnection = s.state().isActive() && s.state() != SessionState.CONNECTED
            && s.state() != SessionState.PAIRING;
        Instant down = s.disconnectedSince();
        boolean late = wantsConnection && down != null && Duration.between(down, now).compareTo(after) > 0;
        if (s.state() == SessionState.CONNECTED) {
          connected++;
        }
        if (needsOperator || late) {
          troubled++;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", s.state().name());
        d.put("since", s.stateSince().toString());
        if (down != null) {
          d.put("disconnectedSince", down.toString());
        }
        if (!s.reason().isEmpty()) {
          d.put("reason", s.reason());
        }
        per.put(s.id(), d);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("connected", connected);
      details.put("total", per.size());
      details.put("sessions", per);
      return HealthResult.of(troubled > 0 ? HealthStatus.DEGRADED : HealthStatus.UP, details);
    });
  }

  /** Connected sessions with no frame for longer than {@code after}: the silent-session watchdog's view. */
  public static HealthCheck silentSessions(WaGateway gw, Clock clock, Duration after) {
    return HealthCheck.of("silentSessions", NONE, () -> {
      Instant now = clock.instant();
      Map<String, Object> silent = new LinkedHashMap<>();
      for (SessionInfo s : gw.sessions().list()) {
        boolean connected = s.state() == SessionState.CONNECTED || s.state() == SessionState.DEGRADED;
        if (connected && s.lastActivity() != null
            && Duration.between(s.lastActivity(), now).compareTo(after) > 0) {
          silent.put(s.id(), Map.of("lastActivity", s.lastActivity().toString(), "state", s.state().name()));
        }
      }
      return HealthResult.of(silent.isEmpty() ? HealthStatus.UP : HealthStatus.DEGRADED,
          Map.of("silentFor", after.toString(), "silent", silent));
    });
  }

  /** Backlog and dead letters above their thresholds, and sessions whose sending is paused. */
  public static HealthCheck queue(WaGateway gw, long backlogThreshold, long deadLetterThreshold) {
    return HealthCheck.of("queue", NONE, () -> {
      QueueCounts total = gw.queueStats().total();
      Set<String> paused = gw.queueStats().pausedSessions();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("waiting", total.waiting());
      d.put("active", total.active());
      d.put("deadLettered", total.deadLettered());
      d.put("pausedSessions", List.copyOf(paused));
      boolean bad = total.waiting() > backlogThreshold || total.deadLettered() > deadLetterThreshold
          || !paused.isEmpty();
      return HealthResult.of(bad ? HealthStatus.DEGRADED : HealthStatus.UP, d);
    });
  }

  /** Disabled webhook endpoints and dead deliveries. */
  public static HealthCheck webhooks(WaGateway gw) {
    return HealthCheck.of("webhooks", NONE, () -> {
      Map<WebhookDelivery.Status, Long> counts = gw.webhookStats().deliveries();
      List<String> disabled = gw.webhooks().list().stream().filter(s -> !s.enabled())
          .map(WebhookSubscription::id).toList();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("pending", counts.getOrDefault(WebhookDelivery.Status.PENDING, 0L));
      d.put("dead", counts.getOrDefault(WebhookDelivery.Status.DEAD, 0L));
      d.put("disabledEndpoints", disabled);
      return HealthResult.of(disabled.isEmpty() ? HealthStatus.UP : HealthStatus.DEGRADED, d);
    });
  }

  /** Heap used against its maximum. */
  public static HealthCheck memory(double threshold) {
    return HealthCheck.of("memory", NONE, () -> {
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
      double used = (double) heap.getUsed() / max;
      Map<String, Object> d = Map.of("usedBytes", heap.getUsed(), "maxBytes", max,
          "usedRatio", Math.round(used * 1000) / 1000.0);
      return HealthResult.of(used > threshold ? HealthStatus.DEGRADED : HealthStatus.UP, d);
    });
  }
}
