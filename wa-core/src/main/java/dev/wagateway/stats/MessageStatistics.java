package dev.wagateway.stats;

import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.event.Subscription;
import dev.wagateway.message.MessageStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Business statistics over sliding windows (up to a day), per session and overall: messages sent,
 * delivered, read, dead-lettered and failed attempts, the delivery and read rates, and the median
 * time from acceptance to delivered and to read. Fed by the gateway's {@code message.status} events
 * through a synchronous subscription that only increments counters (lock-free; a lock is taken once
 * a minute, when a new minute starts): an asynchronous one queued an event per status change and,
 * at 200,000 messages/s, cost a third of the pipeline's throughput in buffer churn and GC.
 *
 * <p>Counts are kept in one-minute buckets, only for the sessions with traffic in that minute; a
 * window counts the whole minutes it covers, so its edge is exact to the minute. Times are kept in
 * logarithmic bins (each √2 wide, 100 ms to about 10 days): a median is exact to within that factor.
 * Rates compare events within the window (delivered in the window ÷ sent in the window), as the
 * Prometheus alert does, so a rate above 1 means deliveries of messages sent before the window.
 */
public final class MessageStatistics implements AutoCloseable {
  /** The longest window. */
  public static final Duration MAX_WINDOW = Duration.ofDays(1);
  static final int BINS = 48;
  static final double BIN_BASE_MS = 100;
  private static final int MINUTES = (int) MAX_WINDOW.toMinutes() + 1;

  private final Clock clock;
  /** minute index (epoch minutes) modulo MINUTES → that minute's counts. */
  private final Minute[] minutes = new Minute[MINUTES];
  private final Subscription subscription;

  private volatile @Nullable Minute current;

  /** One minute of counts: overall and per session. */
  static final class Minute {
    final long epochMinute;
    final Counts all = new Counts();
    final Map<String, Counts> bySession = new ConcurrentHashMap<>();

    Minute(long epochMinute) {
      this.epochMinute = epochMinute;
    }
  }

  /** Counts of one minute and one scope: lock-free, written by the threads that publish. */
  static final class Counts {
    final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder delivered = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder read = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder deadLettered = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder failedAttempts = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.AtomicLongArray toDelivered = new java.util.concurrent.atomic.AtomicLongArray(BINS);
    final java.util.concurrent.atomic.AtomicLongArray toRead = new java.util.concurrent.atomic.AtomicLongArray(BINS);

    void add(MessageStatus status, long latencyMs) {
      switch (status) {
        case SENT -> sent.increment();
        case DELIVERED -> {
          delivered.increment();
          toDelivered.incrementAndGet(bin(latencyMs));
        }
        case READ, PLAYED -> {
          read.increment();
          toRead.incrementAndGet(bin(latencyMs));
        }
        case DEAD_LETTERED -> deadLettered.increment();
        case FAILED -> failedAttempts.increment();
        default -> { }
      }
    }
  }

  /** A window's sums, added up from its minutes. */
  private static final class Sum {
    long sent;
    long delivered;
    long read;
    long deadLettered;
    long failedAttempts;
    final long[] toDelivered = new long[BINS];
    final long[] toRead = new long[BINS];

    void add(Counts c) {
      // later statuses first: a READ counted here had its SENT counted before, so read ≤ sent holds
      read += c.read.sum();
      delivered += c.delivered.sum();
      deadLettered += c.deadLettered.sum();
      failedAttempts += c.failedAttempts.sum();
      sent += c.sent.sum();
      for (int i = 0; i < BINS; i++) {
        toDelivered[i] += c.toDelivered.get(i);
        toRead[i] += c.toRead.get(i);
      }
    }
  }

  /**
   * The statistics of one window.
   *
   * @param session the session, or null for all sessions
   * @param deliveryRate delivered ÷ sent within the window, or null when nothing was sent
   * @param medianToDelivered from acceptance to the delivery receipt, or null without deliveries
   */
  public record Snapshot(Duration window, @Nullable String session, long sent, long delivered, long read,
      long deadLettered, long failedAttempts, @Nullable Double deliveryRate, @Nullable Double readRate,
      @Nullable Duration medianToDelivered, @Nullable Duration medianToRead) {}

  private MessageStatistics(WaGateway gateway, Clock clock) {
    this.clock = clock;
    this.subscription = gateway.events().subscribe(this::on, SubscribeOptions.sync("message-statistics")
        .withFilter(e -> e instanceof GatewayEvent.MessageStatusChanged m && counted(m.status())));
  }

  /** Starts counting the gateway's message statuses from now on. */
  public static MessageStatistics attach(WaGateway gateway) {
    return attach(gateway, Clock.systemUTC());
  }

  /** The same with a clock of the caller's (tests: the virtual scheduler's clock). */
  public static MessageStatistics attach(WaGateway gateway, Clock clock) {
    return new MessageStatistics(gateway, clock);
  }

  private static boolean counted(MessageStatus s) {
    return s == MessageStatus.SENT || s == MessageStatus.DELIVERED || s == MessageStatus.READ
        || s == MessageStatus.PLAYED || s == MessageStatus.DEAD_LETTERED || s == MessageStatus.FAILED;
  }

  private void on(GatewayEvent e) {
    GatewayEvent.MessageStatusChanged m = (GatewayEvent.MessageStatusChanged) e;
    long latency = Math.max(0, Duration.between(m.acceptedAt(), m.timestamp()).toMillis());
    Minute minute = minute(m.timestamp().getEpochSecond() / 60);
    if (minute == null) {
      return; // older than the longest window
    }
    minute.all.add(m.status(), latency);
    Counts session = minute.bySession.get(m.sessionId());
    if (session == null) {
      session = minute.bySession.computeIfAbsent(m.sessionId(), k -> new Counts());
    }
    session.add(m.status(), latency);
  }

  private @Nullable Minute minute(long epochMinute) {
    Minute c = current;
    if (c != null && c.epochMinute == epochMinute) {
      return c; // the common case: no clock read, no lock
    }
    long now = clock.instant().getEpochSecond() / 60;
    if (epochMinute <= now - MINUTES) {
      return null;
    }
    int slot = (int) Math.floorMod(epochMinute, (long) MINUTES);
    synchronized (minutes) {
      Minute m = minutes[slot];
      if (m == null || m.epochMinute != epochMinute) {
        if (m != null && m.epochMinute > epochMinute) {
          return null; // the slot already holds a later minute
        }
        m = new Minute(epochMinute);
        minutes[slot] = m;
      }
      if (epochMinute == now) {
        current = m;
      }
      return m;
    }
  }

  /**
   * The statistics of the last {@code window} (1 minute to 1 day, whole minutes), for one session
   * or, with null, for all.
   */
  public Snapshot snapshot(Duration window, @Nullable String session) {
    if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("window must be from 1 minute to 1 day, was " + window);
    }
    long now = clock.instant().getEpochSecond() / 60;
    long first = now - window.toMinutes() + 1;
    Sum sum = new Sum();
    synchronized (minutes) {
      for (Minute m : minutes) {
        if (m == null || m.epochMinute < first || m.epochMinute > now) {
          continue;
        }
        Counts c = session == null ? m.all : m.bySession.get(session);
        if (c != null) {
          sum.add(c);
        }
      }
    }
    return new Snapshot(window, session, sum.sent, sum.delivered, sum.read, sum.deadLettered, sum.failedAttempts,
        sum.sent == 0 ? null : (double) sum.delivered / sum.sent, sum.sent == 0 ? null : (double) sum.read / sum.sent,
        median(sum.toDelivered), median(sum.toRead));
  }

  /** The bin of a latency: bin i holds [100 ms · √2^(i-1), 100 ms · √2^i), bin 0 everything below 100 ms. */
  static int bin(long ms) {
    if (ms < BIN_BASE_MS) {
      return 0;
    }
    int i = 1 + (int) Math.floor(2 * Math.log(ms / BIN_BASE_MS) / Math.log(2));
    return Math.min(i, BINS - 1);
  }

  /** The upper edge of bin i. */
  static Duration upperEdge(int i) {
    return Duration.ofMillis(Math.round(BIN_BASE_MS * Math.pow(Math.sqrt(2), i)));
  }

  private static @Nullable Duration median(long[] bins) {
    long total = 0;
    for (long b : bins) {
      total += b;
    }
    if (total == 0) {
      return null;
    }
    long half = (total + 1) / 2;
    long seen = 0;
    for (int i = 0; i < bins.length; i++) {
      seen += bins[i];
      if (seen >= half) {
        return upperEdge(i); // the median is below this edge and above the previous one
      }
    }
    return upperEdge(bins.length - 1);
  }

  @Override
  public void close() {
    subscription.close();
  }
}
