package dev.wagateway.metrics;

import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.event.Subscription;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionState;
import dev.wagateway.webhook.DeliveryOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Binds the gateway's metrics to a {@link MeterRegistry}. Counters and timers follow the event
 * stream (an ASYNC subscription: a slow registry never slows sending); gauges read the stats views
 * through a snapshot refreshed at most once a second. Session tags are bounded: the first
 * {@code maxSessionTags} sessions keep their id, later ones share {@code other}. No phone number,
 * message id or free text is ever a tag. Close it to stop listening.
 */
public final class WaGatewayMetrics implements MeterBinder, AutoCloseable {
  public static final int DEFAULT_MAX_SESSION_TAGS = 100;
  private static final Pattern CODE = Pattern.compile("\\[([a-z0-9_]+)\\]$");

  private final WaGateway gateway;
  private final int maxSessionTags;
  private final Clock clock;
  private final Map<String, String> sessionTags = new ConcurrentHashMap<>();
  private final Map<String, Instant> sendingSince = new ConcurrentHashMap<>();
  private final Set<String> boundSessions = ConcurrentHashMap.newKeySet();
  /** Counters and timers by name and tag values, so an event costs a map lookup, not a registration. */
  private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();
  /** The limit names the dispatcher counts (docs/queue.md). */
  static final List<String> LIMITS = List.of("session_rate", "recipient_gap", "warm_up", "new_contacts", "engine");
  private final Set<String> boundWebhookTypes = ConcurrentHashMap.newKeySet();
  private final Snapshot snapshot;
  private volatile @Nullable MeterRegistry registry;
  private @Nullable Subscription subscription;

  public WaGatewayMetrics(WaGateway gateway) {
    this(gateway, DEFAULT_MAX_SESSION_TAGS, Clock.systemUTC());
  }

  public WaGatewayMetrics(WaGateway gateway, int maxSessionTags, Clock clock) {
    if (maxSessionTags < 1) {
      throw new IllegalArgumentException("maxSessionTags must be at least 1");
    }
    this.gateway = gateway;
    this.maxSessionTags = maxSessionTags;
    this.clock = clock;
    this.snapshot = new Snapshot(gateway, clock);
  }

  /** The tag value for a session: its id while under the limit, else {@code other}. */
  String sessionTag(String sessionId) {
    String t = sessionTags.get(sessionId);
    if (t != null) {
      return t;
    }
    synchronized (sessionTags) {
      return sessionTags.computeIfAbsent(sessionId,
          id -> sessionTags.size() < maxSessionTags ? id : WaMetricNames.OTHER);
    }
  }

  @Override
  public void bindTo(MeterRegistry r) {
    this.registry = r;
    Gauge.builder(WaMetricNames.UPTIME, gateway, g -> g.startedAt() == null ? 0
            : Duration.between(g.startedAt(), clock.instant()).toMillis() / 1000.0)
        .description("Seconds since the gateway started").baseUnit("seconds").register(r);
    for (SessionState s : SessionState.values()) {
      Gauge.builder(WaMetricNames.SESSIONS, snapshot, sn -> sn.get().states.getOrDefault(s, 0L))
          .description("Sessions by state").tag("state", s.name().toLowerCase(Locale.ROOT)).register(r);
    }
    Gauge.builder(WaMetricNames.WEBHOOK_ENDPOINTS_DISABLED, gateway, g -> g.webhookStats().disabledEndpoints())
        .description("Webhook subscriptions that are disabled").register(r);
    Gauge.builder(WaMetricNames.DISPATCH_LAG, gateway,
            g -> g.queueStats().recentDispatchLag().toNanos() / 1e9)
        .description("Recent average time from a message being due to its send starting")
        .baseUnit("seconds").register(r);
    for (SessionInfo s : gateway.sessions().list()) {
      bindSession(r, s.id());
    }
    // QUEUED events are a third of the traffic and feed no metric: filtered on the publisher side.
    subscription = gateway.events().subscribe(this::onEvent,
        SubscribeOptions.async("wa-metrics").withBufferCapacity(262_144).withFilter(e ->
            !(e instanceof GatewayEvent.MessageStatusChanged m) || m.status() != MessageStatus.QUEUED));
  }

  /** Per-session gauges, once per tag value (sessions folded into "other" share theirs). */
  private void bindSession(MeterRegistry r, String sessionId) {
    String tag = sessionTag(sessionId);
    if (!boundSessions.add(tag)) {
      return;
    }
    Tags t = Tags.of("session", tag);
    Gauge.builder(WaMetricNames.CONNECTION_STATUS, snapshot, sn -> sn.get().connected(tag, this))
        .description("1 when the session is connected, else 0 (connected count for 'other')")
        .tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_WAITING, snapshot, sn -> sn.get().queue(tag, this).waiting())
        .description("Messages waiting to be sent").tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_ACTIVE, snapshot, sn -> sn.get().queue(tag, this).active())
        .description("Messages handed to the engine, not yet answered").tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_DLQ, snapshot, sn -> sn.get().queue(tag, this).deadLettered())
        .description("Messages in the dead-letter queue").tags(t).register(r);
    for (String limit : LIMITS) {
      FunctionCounter.builder(WaMetricNames.RATE_LIMIT_HITS, snapshot, sn -> sn.get().hits(tag, limit, this))
          .description("Rate-limit answers and pacing waits").tags("session", tag, "limit", limit).register(r);
    }
  }

  /** Cached by name, then by the joined tag values (built only on the first use of a combination). */
  private Counter counter(MeterRegistry r, String name, String description, String... tags) {
    Map<String, Counter> byTags = counters.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    String key = tags.length == 2 ? tags[1] : String.join("|", tags);
    Counter c = byTags.get(key);
    if (c == null) {
      c = byTags.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(r));
    }
    return c;
  }

  private Timer timer(MeterRegistry r, String name, String description, String... tags) {
    Map<String, Timer> byTags = timers.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    String key = tags.length == 0 ? "" : String.join("|", tags);
    Timer t = byTags.get(key);
    if (t == null) {
      t = byTags.computeIfAbsent(key, k -> Timer.builder(name).description(description).tags(tags)
          .publishPercentileHistogram().register(r));
    }
    return t;
  }

  private void onEvent(GatewayEvent e) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    String session = e.sessionId().isEmpty() ? "" : sessionTag(e.sessionId());
    if (!e.sessionId().isEmpty()) {
      bindSession(r, e.sessionId());
    }
    bindWebhookType(r, e.type());
    if (e instanceof GatewayEvent.MessageStatusChanged m) {
      onStatus(r, session, m);
    } else if (e instanceof GatewayEvent.MessageReceived m) {
      counter(r, WaMetricNames.MESSAGES_RECEIVED, "Messages received",
          "session", session, "type", m.message().content().type()).increment();
    } else if (e instanceof GatewayEvent.ReconnectScheduled rs) {
      counter(r, WaMetricNames.RECONNECT, "Reconnects scheduled",
          "session", session, "reason", reason(rs.cause())).increment();
    } else if (e instanceof GatewayEvent.SessionDeleted) {
      snapshot.invalidate();
    }
  }

  private void onStatus(MeterRegistry r, String session, GatewayEvent.MessageStatusChanged m) {
    switch (m.status()) {
      case SENDING -> sendingSince.put(m.messageId(), m.timestamp());
      case SENT -> {
        counter(r, WaMetricNames.MESSAGES_SENT, "Messages WhatsApp accepted",
            "session", session, "type", m.contentType()).increment();
        Instant start = sendingSince.remove(m.messageId());
        if (start != null) {
          timer(r, WaMetricNames.MESSAGE_SEND_DURATION, "From the engine call to its ack",
              "session", session, "type", m.contentType()).record(Duration.between(start, m.timestamp()));
        }
        timer(r, WaMetricNames.QUEUE_PROCESSING_DURATION, "From acceptance to SENT")
            .record(Duration.between(m.acceptedAt(), m.timestamp()));
      }
      case FAILED -> {
        sendingSince.remove(m.messageId());
        String reason = m.failure() == null ? "unknown" : m.failure().type().name().toLowerCase(Locale.ROOT);
        counter(r, WaMetricNames.MESSAGES_FAILED, "Failed send attempts",
            "session", session, "type", m.contentType(), "reason", reason).increment();
      }
      case DELIVERED -> counter(r, WaMetricNames.MESSAGES_DELIVERED, "Delivery receipts", "session", session)
          .increment();
      case READ -> counter(r, WaMetricNames.MESSAGES_READ, "Read receipts", "session", session).increment();
      default -> {
        if (m.status() == MessageStatus.DEAD_LETTERED) {
          sendingSince.remove(m.messageId());
        }
      }
    }
  }

  /** A bounded reason: the engine's code in brackets, "silent" for the watchdog, else "other". */
  static String reason(String cause) {
    Matcher m = CODE.matcher(cause);
    if (m.find()) {
      return m.group(1);
    }
    return cause.startsWith("silent") ? "silent" : WaMetricNames.OTHER;
  }

  private void bindWebhookType(MeterRegistry r, String type) {
    if (boundWebhookTypes.add(type)) {
      for (DeliveryOutcome o : DeliveryOutcome.values()) {
        FunctionCounter.builder(WaMetricNames.WEBHOOK_DELIVERIES, gateway, g -> g.webhookStats()
                .attemptsByEventType().getOrDefault(type, Map.of()).getOrDefault(o, 0L))
            .description("Webhook delivery attempts").tags("event", type,
                "outcome", o.name().toLowerCase(Locale.ROOT)).register(r);
      }
    }
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }

  /** Stats read at most once a second, shared by all gauges of one scrape. */
  static final class Snapshot {
    private final WaGateway gateway;
    private final Clock clock;
    private volatile @Nullable Data data;

    Snapshot(WaGateway gateway, Clock clock) {
      this.gateway = gateway;
      this.clock = clock;
    }

    void invalidate() {
      data = null;
    }

    Data get() {
      Data d = data;
      Instant now = clock.instant();
      if (d == null || Duration.between(d.at, now).toMillis() >= 1000) {
        d = new Data(now, gateway.sessions()::list, gateway.queueStats().bySession(),
            gateway.queueStats().rateLimitHitsBySession());
        data = d;
      }
      return d;
    }
  }

  static final class Data {
    final Instant at;
    final List<SessionInfo> sessions;
    final Map<SessionState, Long> states = new java.util.EnumMap<>(SessionState.class);
    final Map<String, QueueCounts> queues;
    final Map<String, Map<String, Long>> hits;

    Data(Instant at, Supplier<List<SessionInfo>> sessions, Map<String, QueueCounts> queues,
        Map<String, Map<String, Long>> hits) {
      this.at = at;
      this.sessions = sessions.get();
      this.queues = queues;
      this.hits = hits;
      for (SessionInfo s : this.sessions) {
        states.merge(s.state(), 1L, Long::sum);
      }
    }

    double connected(String tag, WaGatewayMetrics m) {
      return sessions.stream().filter(s -> m.sessionTag(s.id()).equals(tag)
          && s.state() == SessionState.CONNECTED).count();
    }

    QueueCounts queue(String tag, WaGatewayMetrics m) {
      QueueCounts sum = QueueCounts.ZERO;
      for (var e : queues.entrySet()) {
        if (m.sessionTag(e.getKey()).equals(tag)) {
          sum = sum.plus(e.getValue());
        }
      }
      return sum;
    }

    double hits(String tag, String limit, WaGatewayMetrics m) {
      long n = 0;
      for (var e : hits.entrySet()) {
        if (m.sessionTag(e.getKey()).equals(tag)) {
          n += e.getValue().getOrDefault(limit, 0L);
        }
      }
      return n;
    }
  }
}
