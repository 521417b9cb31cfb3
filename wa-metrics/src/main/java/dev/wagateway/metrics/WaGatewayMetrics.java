package dev.wagateway.metrics;

import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.event.Subscription;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.observe.MetricsTracker;
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
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Binds the gateway's metrics to a {@link MeterRegistry}. Counters and timers come from the
 * {@link MetricsTracker} this class hands the gateway builder ({@link #tracker()}): called
 * synchronously where the work happens, with meters resolved once per session tag, so there is no
 * second pass over the event stream. Gauges read the stats views through a snapshot refreshed at
 * most once a second. Session tags are bounded: the first {@code maxSessionTags} sessions keep their
 * id, later ones share {@code other}. No phone number, message id or free text is ever a tag.
 *
 * <pre>{@code
 * WaGatewayMetrics metrics = new WaGatewayMetrics();
 * WaGateway gateway = WaGateway.builder().metricsTracker(metrics.tracker()).build();
 * metrics.attach(gateway);
 * metrics.bindTo(registry);
 * }</pre>
 */
public final class WaGatewayMetrics implements MeterBinder, AutoCloseable {
  public static final int DEFAULT_MAX_SESSION_TAGS = 100;
  /** SLO buckets of the send timer (engine call to ack). */
  public static final List<Duration> DEFAULT_SEND_SLOS = millis(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000);
  /** SLO buckets of the queue timer (accepted to SENT): the alerts look at 500 ms and 1 s. */
  public static final List<Duration> DEFAULT_QUEUE_SLOS = millis(100, 250, 500, 1_000, 2_500, 5_000, 30_000,
      60_000, 300_000);
  /** SLO buckets of the webhook timer (request to answer). */
  public static final List<Duration> DEFAULT_WEBHOOK_SLOS = millis(50, 100, 250, 500, 1_000, 2_500, 5_000, 15_000);
  /** SLO buckets of the dispatch lag timer: the alert looks at 1 s. */
  public static final List<Duration> DEFAULT_DISPATCH_LAG_SLOS = millis(1, 10, 100, 500, 1_000, 5_000);
  /** Range of the optional percentile histograms: fewer buckets to search on every record. */
  static final Duration HISTOGRAM_MIN = Duration.ofMillis(1);
  static final Duration HISTOGRAM_MAX = Duration.ofMinutes(1);

  private final Clock clock;
  private final SessionTags sessionTags;
  private final Slos slos;
  private final List<StorageGauges> storage = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** By tag value; sessions folded into "other" share one. */
  private final Map<String, SessionMeters> meters = new ConcurrentHashMap<>();
  /** By session id, so the send path finds its meters with one lookup. */
  private final Map<String, SessionMeters> metersBySession = new ConcurrentHashMap<>();
  private final Set<String> boundSessions = ConcurrentHashMap.newKeySet();
  private final Set<String> seenTypes = ConcurrentHashMap.newKeySet();
  /**
   * Event classes already seen, checked by reference on the publisher's thread: a short array that
   * stays in the cache because every event reads it (a ClassValue's map did not: its lookups showed
   * in profiles of the pipeline). Copied on write, by the subscription's thread, once per class.
   */
  private volatile Class<?>[] seenClasses = new Class<?>[0];
  private final Object seenLock = new Object();
  private final Tracker tracker = new Tracker();
  private volatile @Nullable MeterRegistry registry;
  private volatile @Nullable WaGateway gateway;
  private volatile @Nullable Snapshot snapshot;
  private volatile @Nullable Timer processing;
  private volatile @Nullable Timer dispatchLag;
  private final Map<DeliveryOutcome, Timer> webhookDurations = new java.util.EnumMap<>(DeliveryOutcome.class);
  private @Nullable Subscription subscription;

  /** The limit names the dispatcher counts (docs/queue.md). */
  static final List<String> LIMITS = List.of("session_rate", "recipient_gap", "warm_up", "new_contacts", "engine",
      "engine_recipient");

  /** With the defaults: 100 session tags, the default SLO buckets, the system clock. */
  public WaGatewayMetrics() {
    this(builder());
  }

  public WaGatewayMetrics(int maxSessionTags, Clock clock) {
    this(builder().maxSessionTags(maxSessionTags).clock(clock));
  }

  private WaGatewayMetrics(Builder b) {
    this.sessionTags = new SessionTags(b.maxSessionTags);
    this.clock = b.clock;
    this.slos = new Slos(b.sendSlos, b.queueSlos, b.webhookSlos, b.dispatchLagSlos, b.percentileHistograms);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static List<Duration> millis(long... ms) {
    return java.util.Arrays.stream(ms).mapToObj(Duration::ofMillis).toList();
  }

  /**
   * Reports the bytes the files at {@code path} take (a file, or every regular file below a
   * directory) and the size and free space of the volume that holds it, tagged {@code store}.
   * For SQLite, name the database file's directory or the file; for media, its root directory.
   */
  public void storage(String store, java.nio.file.Path path) {
    if (store == null || !store.matches("[a-z0-9_]{1,32}")) {
      throw new IllegalArgumentException("store must be a short lower-case name ([a-z0-9_]{1,32}), was " + store);
    }
    java.util.Objects.requireNonNull(path, "path");
    StorageGauges g = new StorageGauges(store, path, clock);
    storage.add(g);
    MeterRegistry r = registry;
    if (r != null) {
      g.bindTo(r);
    }
  }

  /** Give this to {@code WaGateway.builder().metricsTracker(...)}. A no-op until bound. */
  public MetricsTracker tracker() {
    return tracker;
  }

  /** The gateway whose views the gauges read. */
  public synchronized void attach(WaGateway gw) {
    this.gateway = gw;
    this.snapshot = new Snapshot(gw, clock);
    MeterRegistry r = registry;
    if (r != null) {
      bindViews(r, gw);
    }
  }

  /** The tag value for a session: its id while under the limit, else {@code other}. */
  String sessionTag(String sessionId) {
    return sessionTags.of(sessionId);
  }

  @Override
  public synchronized void bindTo(MeterRegistry r) {
    this.registry = r;
    this.processing = slos.timer(Timer.builder(WaMetricNames.QUEUE_PROCESSING_DURATION)
        .description("From acceptance to SENT"), slos.queue, Duration.ofHours(1)).register(r);
    this.dispatchLag = slos.timer(Timer.builder(WaMetricNames.DISPATCH_LAG)
        .description("From a message being due to its send starting"), slos.dispatchLag, HISTOGRAM_MAX).register(r);
    for (DeliveryOutcome o : DeliveryOutcome.values()) {
      webhookDurations.put(o, slos.timer(Timer.builder(WaMetricNames.WEBHOOK_DELIVERY_DURATION)
          .description("From a webhook request to its answer").tag("outcome", o.tag()), slos.webhook,
          HISTOGRAM_MAX).register(r));
    }
    for (StorageGauges g : storage) {
      g.bindTo(r);
    }
    WaGateway gw = gateway;
    if (gw != null) {
      bindViews(r, gw);
    }
  }

  private void bindViews(MeterRegistry r, WaGateway gw) {
    if (subscription != null) {
      return;
    }
    Snapshot sn0 = snapshot;
    Gauge.builder(WaMetricNames.UPTIME, gw, g -> g.startedAt() == null ? 0
            : Duration.between(g.startedAt(), clock.instant()).toMillis() / 1000.0)
        .description("Seconds since the gateway started").baseUnit("seconds").register(r);
    for (SessionState s : SessionState.values()) {
      Gauge.builder(WaMetricNames.SESSIONS, sn0, sn -> sn.get().states.getOrDefault(s, 0L))
          .description("Sessions by state").tag("state", s.name().toLowerCase(Locale.ROOT)).register(r);
    }
    Gauge.builder(WaMetricNames.WEBHOOK_ENDPOINTS_DISABLED, gw, g -> g.webhookStats().disabledEndpoints())
        .description("Webhook subscriptions that are disabled").register(r);
    for (SessionInfo s : gw.sessions().list()) {
      bindSession(r, s.id());
    }
    // Low volume: session lifecycle, and the first event of each type (to register its webhook
    // counters). The filter runs on the publisher's thread; hot events cost a scan of a short array.
    subscription = gw.events().subscribe(this::onEvent, SubscribeOptions.async("wa-metrics")
        .withFilter(e -> e instanceof GatewayEvent.SessionCreated || e instanceof GatewayEvent.SessionStateChanged
            || e instanceof GatewayEvent.SessionDeleted || !seen(e.getClass())));
  }

  private boolean seen(Class<?> type) {
    for (Class<?> c : seenClasses) {
      if (c == type) {
        return true;
      }
    }
    return false;
  }

  private void markSeen(Class<?> type) {
    synchronized (seenLock) {
      if (!seen(type)) {
        Class<?>[] now = java.util.Arrays.copyOf(seenClasses, seenClasses.length + 1);
        now[now.length - 1] = type;
        seenClasses = now;
      }
    }
  }

  private void onEvent(GatewayEvent e) {
    MeterRegistry r = registry;
    WaGateway gw = gateway;
    if (r == null || gw == null) {
      return;
    }
    if (!e.sessionId().isEmpty()) {
      bindSession(r, e.sessionId());
    }
    markSeen(e.getClass());
    if (seenTypes.add(e.type())) {
      for (DeliveryOutcome o : DeliveryOutcome.values()) {
        String type = e.type();
        FunctionCounter.builder(WaMetricNames.WEBHOOK_DELIVERIES, gw, g -> g.webhookStats()
                .attemptsByEventType().getOrDefault(type, Map.of()).getOrDefault(o, 0L))
            .description("Webhook delivery attempts").tags("event", type, "outcome", o.tag()).register(r);
      }
    }
    Snapshot sn = snapshot;
    if (e instanceof GatewayEvent.SessionDeleted) {
      metersBySession.remove(e.sessionId()); // its tag, and the tag's meters, stay
      if (sn != null) {
        sn.invalidate();
      }
    }
  }

  /** Per-session gauges, once per tag value (sessions folded into "other" share theirs). */
  private void bindSession(MeterRegistry r, String sessionId) {
    String tag = sessionTag(sessionId);
    Snapshot sn0 = snapshot;
    if (sn0 == null || !boundSessions.add(tag)) {
      return;
    }
    Tags t = Tags.of("session", tag);
    Gauge.builder(WaMetricNames.CONNECTION_STATUS, sn0, sn -> sn.get().connected(tag, this))
        .description("1 when the session is connected, else 0 (connected count for 'other')")
        .tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_WAITING, sn0, sn -> sn.get().queue(tag, this).waiting())
        .description("Messages waiting to be sent").baseUnit("messages").tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_ACTIVE, sn0, sn -> sn.get().queue(tag, this).active())
        .description("Messages handed to the engine, not yet answered").baseUnit("messages").tags(t).register(r);
    Gauge.builder(WaMetricNames.QUEUE_DLQ, sn0, sn -> sn.get().queue(tag, this).deadLettered())
        .description("Messages in the dead-letter queue").baseUnit("messages").tags(t).register(r);
    for (String limit : LIMITS) {
      FunctionCounter.builder(WaMetricNames.RATE_LIMIT_HITS, sn0, sn -> sn.get().hits(tag, limit, this))
          .description("Rate-limit answers and pacing waits").tags("session", tag, "limit", limit).register(r);
    }
  }

  /** The counter and timer of one session tag and content type, found together. */
  private record SentMeters(Counter count, Timer duration) {}

  /** The meters of one session tag, resolved once per content type, reason or status. */
  private static final class SessionMeters {
    final MeterRegistry r;
    final String tag;
    final Slos slos;
    final Map<String, SentMeters> sent = new ConcurrentHashMap<>();
    final Map<String, Counter> received = new ConcurrentHashMap<>();
    final Map<String, Map<FailureType, Counter>> failed = new ConcurrentHashMap<>();
    final Map<String, Counter> reconnect = new ConcurrentHashMap<>();
    final Counter delivered;
    final Counter read;

    SessionMeters(MeterRegistry r, String tag, Slos slos) {
      this.r = r;
      this.tag = tag;
      this.slos = slos;
      this.delivered = Counter.builder(WaMetricNames.MESSAGES_DELIVERED).description("Delivery receipts")
          .tag("session", tag).register(r);
      this.read = Counter.builder(WaMetricNames.MESSAGES_READ).description("Read receipts")
          .tag("session", tag).register(r);
    }

    SentMeters sent(String type) {
      SentMeters m = sent.get(type);
      return m != null ? m : sent.computeIfAbsent(type, t -> new SentMeters(
          Counter.builder(WaMetricNames.MESSAGES_SENT).description("Messages WhatsApp accepted")
              .tags("session", tag, "type", t).register(r),
          slos.timer(Timer.builder(WaMetricNames.MESSAGE_SEND_DURATION).description("From the engine call to its ack")
              .tags("session", tag, "type", t), slos.send, HISTOGRAM_MAX).register(r)));
    }

    Counter received(String type) {
      Counter c = received.get(type);
      return c != null ? c : received.computeIfAbsent(type, t -> Counter.builder(WaMetricNames.MESSAGES_RECEIVED)
          .description("Messages received").tags("session", tag, "type", t).register(r));
    }

    Counter failed(String type, FailureType reason) {
      return failed.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).computeIfAbsent(reason, f ->
          Counter.builder(WaMetricNames.MESSAGES_FAILED).description("Failed send attempts")
              .tags("session", tag, "type", type, "reason", f.tag()).register(r));
    }

    Counter reconnect(String reason) {
      return reconnect.computeIfAbsent(reason, x -> Counter.builder(WaMetricNames.RECONNECT)
          .description("Reconnects scheduled").tags("session", tag, "reason", x).register(r));
    }
  }

  /** A bounded reconnect reason: the engine's code when it is a short identifier, else "other". */
  static String reason(String code) {
    return code.matches("[a-z0-9_]{1,32}") ? code : WaMetricNames.OTHER;
  }

  /**
   * What one thread's run has recorded, written into the meters together when the run ends (or a
   * buffer fills): the sent messages' count and send durations of one session and type, and the
   * gateway-wide queue durations. Between two messages the dispatcher touches much other memory, and
   * a meter written once per message was cold in the cache each time, its lines often last written by
   * the other core; written in a row they stay where they are. The counter takes one add per run.
   */
  private static final class Held {
    final Pending queue = new Pending();
    final Pending send = new Pending();
    /** The last lookup: the dispatcher passes its lane's own strings, so a run compares references. */
    @Nullable String lastSession;
    @Nullable String lastType;
    @Nullable SentMeters lastSent;
    int depth;

    void flush() {
      send.flush();
      queue.flush();
      lastSession = null; // a later run may follow a rebind: look the meters up again
      lastType = null;
      lastSent = null;
    }
  }

  /** One timer's values held through a run, and the counter that counts them (one add per flush). */
  private static final class Pending {
    private static final int CAPACITY = 256;
    final long[] nanos = new long[CAPACITY];
    int size;
    @Nullable Timer timer;
    @Nullable Counter counter;

    void hold(Timer t, @Nullable Counter c, long value) {
      if (timer != t || size == CAPACITY) {
        flush();
        timer = t;
        counter = c;
      }
      nanos[size++] = value;
    }

    void flush() {
      Timer t = timer;
      if (t != null && size > 0) {
        Counter c = counter;
        if (c != null) {
          c.increment(size);
        }
        for (int i = 0; i < size; i++) {
          t.record(nanos[i], TimeUnit.NANOSECONDS);
        }
      }
      size = 0;
      timer = null;
      counter = null;
    }
  }

  /**
   * Set by a thread's first run only: the engine's and the host's threads that report a send outside
   * a run (virtual threads among them) get no buffer.
   */
  private final ThreadLocal<@Nullable Held> held = new ThreadLocal<>();

  private final class Tracker implements MetricsTracker {
    private @Nullable SessionMeters of(String sessionId) {
      MeterRegistry r = registry;
      if (r == null) {
        return null;
      }
      SessionMeters m = metersBySession.get(sessionId);
      if (m == null) {
        m = meters.computeIfAbsent(sessionTag(sessionId), t -> new SessionMeters(r, t, slos));
        metersBySession.put(sessionId, m);
      }
      return m;
    }

    @Override
    public void messageSent(String sessionId, String contentType, long sendNanos, long sinceAcceptedNanos) {
      Held h = held.get();
      if (h == null || h.depth == 0) {
        SessionMeters m = of(sessionId);
        if (m != null) {
          SentMeters t = m.sent(contentType);
          t.count.increment();
          t.duration.record(sendNanos, TimeUnit.NANOSECONDS);
          Timer p = processing;
          if (p != null) {
            p.record(sinceAcceptedNanos, TimeUnit.NANOSECONDS);
          }
        }
        return;
      }
      SentMeters t = h.lastSent;
      if (t == null || sessionId != h.lastSession || contentType != h.lastType) {
        SessionMeters m = of(sessionId);
        if (m == null) {
          return;
        }
        t = m.sent(contentType);
        h.lastSession = sessionId;
        h.lastType = contentType;
        h.lastSent = t;
      }
      h.send.hold(t.duration, t.count, sendNanos);
      Timer p = processing;
      if (p != null) {
        h.queue.hold(p, null, sinceAcceptedNanos);
      }
    }

    @Override
    public void runStarted() {
      Held h = held.get();
      if (h == null) {
        h = new Held();
        held.set(h);
      }
      h.depth++;
    }

    @Override
    public void runEnded() {
      Held h = held.get();
      if (h == null) {
        return; // an end without a start: nothing is held
      }
      if (--h.depth <= 0) {
        h.depth = 0;
        h.flush();
      }
    }

    @Override
    public void messageFailed(String sessionId, String contentType, FailureType reason) {
      SessionMeters m = of(sessionId);
      if (m != null) {
        m.failed(contentType, reason).increment();
      }
    }

    @Override
    public void receipt(String sessionId, MessageStatus status) {
      SessionMeters m = of(sessionId);
      if (m != null && status == MessageStatus.DELIVERED) {
        m.delivered.increment();
      } else if (m != null && status == MessageStatus.READ) {
        m.read.increment();
      }
    }

    @Override
    public void messageReceived(String sessionId, String contentType) {
      SessionMeters m = of(sessionId);
      if (m != null) {
        m.received(contentType).increment();
      }
    }

    @Override
    public void reconnectScheduled(String sessionId, String reason) {
      SessionMeters m = of(sessionId);
      if (m != null) {
        m.reconnect(reason(reason)).increment();
      }
    }

    @Override
    public void mediaProcessed(String type, String direction, long bytes, long nanos) {
      MeterRegistry r = registry;
      if (r == null) {
        return;
      }
      String t = mediaType(type);
      String d = direction.equals("inbound") ? "inbound" : "outbound";
      Timer.builder(WaMetricNames.MEDIA_PROCESSING_DURATION).description("Storing inbound or reading back outbound media")
          .tag("type", t).tag("direction", d).register(r).record(nanos, TimeUnit.NANOSECONDS);
      io.micrometer.core.instrument.Counter.builder(WaMetricNames.MEDIA_BYTES).baseUnit("bytes")
          .description("Media bytes stored (inbound) or sent (outbound)").tag("type", t).tag("direction", d)
          .register(r).increment(bytes);
    }

    @Override
    public void mediaFailed(String type, String direction) {
      MeterRegistry r = registry;
      if (r != null) {
        io.micrometer.core.instrument.Counter.builder(WaMetricNames.MEDIA_FAILURES)
            .description("Media that could not be stored, fetched or read back").tag("type", mediaType(type))
            .tag("direction", direction.equals("inbound") ? "inbound" : "outbound").register(r).increment();
      }
    }

    @Override
    public void dispatchLag(long lagNanos) {
      Timer t = dispatchLag;
      if (t != null) {
        t.record(lagNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public void webhookAttempt(String eventType, DeliveryOutcome outcome, long latencyNanos) {
      Timer t = webhookDurations.get(outcome);
      if (t != null) {
        t.record(latencyNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Media content types as tags: the five kinds, anything else folded (no free text as a tag). */
  private static String mediaType(String type) {
    return switch (type) {
      case "image", "video", "audio", "document", "sticker" -> type;
      default -> "other";
    };
  }

  /** The bucket settings of every timer. */
  record Slos(List<Duration> send, List<Duration> queue, List<Duration> webhook, List<Duration> dispatchLag,
      boolean percentileHistograms) {
    Timer.Builder timer(Timer.Builder b, List<Duration> buckets, Duration max) {
      // One max slot instead of Micrometer's three: each slot is an object of its own, and a record
      // updates every slot. In the pipeline a session's timer is cold in the cache between its
      // messages, and those loads were the largest part of the tracker's cost in its profile. The
      // max then covers the time since the last rotation (up to 2 minutes) instead of a rolling
      // window of 2 to 2.7 minutes.
      b.serviceLevelObjectives(buckets.toArray(Duration[]::new)).distributionStatisticBufferLength(1)
          // No pause compensation: after a JVM pause Micrometer's detector adds synthetic samples,
          // so a timer's count would no longer be the number of messages (or deliveries) it timed;
          // its interval estimate also cost a clock read and an atomic write on every record. JVM
          // pauses have their own metric, jvm_gc_pause_seconds.
          .pauseDetector(new NoPauseDetector());
      if (percentileHistograms) {
        b.publishPercentileHistogram().minimumExpectedValue(HISTOGRAM_MIN).maximumExpectedValue(max);
      }
      return b;
    }
  }

  /** Configures a {@link WaGatewayMetrics}; every setting has a default. */
  public static final class Builder {
    private int maxSessionTags = DEFAULT_MAX_SESSION_TAGS;
    private Clock clock = Clock.systemUTC();
    private List<Duration> sendSlos = DEFAULT_SEND_SLOS;
    private List<Duration> queueSlos = DEFAULT_QUEUE_SLOS;
    private List<Duration> webhookSlos = DEFAULT_WEBHOOK_SLOS;
    private List<Duration> dispatchLagSlos = DEFAULT_DISPATCH_LAG_SLOS;
    private boolean percentileHistograms;

    private Builder() {}

    /** Sessions past this many share the tag value {@code other} (default 100). */
    public Builder maxSessionTags(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxSessionTags must be at least 1, was " + max);
      }
      this.maxSessionTags = max;
      return this;
    }

    /** The clock the uptime gauge and the gauge snapshot read (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Histogram buckets of {@code whatsapp_message_send_duration_seconds}. */
    public Builder sendSlos(Duration... buckets) {
      this.sendSlos = slos("sendSlos", buckets);
      return this;
    }

    /** Histogram buckets of {@code whatsapp_queue_processing_duration_seconds}. */
    public Builder queueSlos(Duration... buckets) {
      this.queueSlos = slos("queueSlos", buckets);
      return this;
    }

    /** Histogram buckets of {@code whatsapp_webhook_delivery_duration_seconds}. */
    public Builder webhookSlos(Duration... buckets) {
      this.webhookSlos = slos("webhookSlos", buckets);
      return this;
    }

    /** Histogram buckets of {@code whatsapp_dispatch_lag_seconds}. */
    public Builder dispatchLagSlos(Duration... buckets) {
      this.dispatchLagSlos = slos("dispatchLagSlos", buckets);
      return this;
    }

    /**
     * Also publish Micrometer's percentile histograms (about 70 buckets per timer and tag set)
     * beside the SLO buckets. Off by default: per-session timers would multiply the series, and
     * the SLO buckets are where the alerts look.
     */
    public Builder percentileHistograms(boolean on) {
      this.percentileHistograms = on;
      return this;
    }

    private static List<Duration> slos(String field, Duration... buckets) {
      if (buckets == null || buckets.length == 0) {
        throw new IllegalArgumentException(field + " needs at least one bucket");
      }
      Duration prev = Duration.ZERO;
      for (Duration d : buckets) {
        if (d == null || d.compareTo(prev) <= 0) {
          throw new IllegalArgumentException(field + " must be positive and ascending, was "
              + java.util.Arrays.toString(buckets));
        }
        prev = d;
      }
      return List.of(buckets);
    }

    public WaGatewayMetrics build() {
      return new WaGatewayMetrics(this);
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
