package dev.wagateway.internal;

import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.SendAck;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import dev.wagateway.observe.OperationObserver.Operation;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.queue.QueueStats;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.queue.QueueStore.Claimed;
import dev.wagateway.time.TaskScheduler.Cancellable;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes due messages from the {@link QueueStore} and hands them to each session's engine
 * connection: one drain at a time per session (a lane), at most {@code maxInFlight} unanswered
 * sends, pacing before every send, retries with backoff, dead letters, a failure breaker, and a
 * status event for every change.
 */
final class Dispatcher implements ManagedSession.Hooks, QueueStats {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_EARLY_RECEIPTS = 10_000;
  /** How long one drain keeps a scheduler thread before it queues itself again. */
  private static final long SLICE_NANOS = 20_000_000L;

  private final GatewayContext ctx;
  private final QueueStore store;
  private final QueueConfig config;
  private final PacingPolicy pacing;
  private final IntervalFunction backoff;
  private final Duration sendTimeout;
  private final Duration lease;
  private final int maxInFlight;
  private final Capacity capacity;
  private final Function<String, ManagedSession> sessions;
  private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Receipt> earlyReceipts = new ConcurrentHashMap<>();
  /** session id → limit → count. */
  private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> rateLimitHits = new ConcurrentHashMap<>();
  private final LongAdder sent = new LongAdder();
  private final AtomicLong lagNanosEwma = new AtomicLong();
  private final AtomicInteger inFlightTotal = new AtomicInteger();
  /** The most acceptances one store call records. */
  private static final int MAX_ACK_BATCH = 256;
  private final java.util.concurrent.ConcurrentLinkedQueue<Accepted> acks = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Threads recording acceptances now, at most {@link #ackWriters}. */
  private final AtomicInteger ackWriting = new AtomicInteger();
  /** How many markSentAll calls may run at once (see {@link QueueStore#concurrentWrites}). */
  private final int ackWriters;
  /** Whether the store prefers batched writes (see {@link QueueStore#prefersBatches}). */
  private final boolean batches;
  /** The lane whose drain's batch this thread hands to the engine now, if any. */
  private final ThreadLocal<@Nullable Lane[]> holdingAcks = ThreadLocal.withInitial(() -> new Lane[1]);

  private record Receipt(MessageStatus status, Instant at, @Nullable Failure failure) {}

  private record SentTo(String to, Instant at) {}

  /** The most recipients a claim carries as held (see heldRecipients). */
  private static final int MAX_HELD_RECIPIENTS = 64;

  /** Per-session dispatch state. Pacing fields are touched only by the lane's drain. */
  private final class Lane {
    final String sessionId;
    final AtomicInteger signals = new AtomicInteger();
    /**
     * Whether a claim will likely find something: set when a message was stored or fell due, cleared
     * by a claim that came back short. Only a claim expected to find something marks its first
     * message (claimFirstSending): for a database that claim is a transaction with a commit, where an
     * empty plain claim is one round trip, and a completion wakes the lane to claim again whether or
     * not anything waits. A hint: a store racing a short claim's reset costs the next claim only the
     * plain path's extra call.
     */
    volatile boolean expectWork = true;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    volatile @Nullable Instant pausedUntil;
    // token bucket
    double tokens;
    @Nullable Instant tokensAt;
    // recipient gap, caps
    final Map<String, Instant> lastSentTo = new HashMap<>();
    /** With a store that prefers batches: the sends of the last recipient gap, oldest first. */
    final ArrayDeque<SentTo> recentSends = new ArrayDeque<>();
    final Set<String> knownContacts = new HashSet<>();
    long capDay = Long.MIN_VALUE;
    long sentOnCapDay;
    long contactsDay = Long.MIN_VALUE;
    long newContactsToday;
    // wake-up timer, guarded by "this"
    @Nullable Cancellable wake;
    @Nullable Instant wakeAt;

    Lane(String sessionId) {
      this.sessionId = sessionId;
      this.tokens = pacing.burst();
    }
  }

  Dispatcher(GatewayContext ctx, QueueStore store, QueueConfig config, Duration sendTimeout,
      int maxInFlight, Capacity capacity, Function<String, ManagedSession> sessions) {
    this.ctx = ctx;
    this.store = store;
    this.config = config;
    this.pacing = config.pacing();
    this.backoff = config.retry().intervalFunction();
    this.sendTimeout = sendTimeout;
    this.lease = sendTimeout.plus(Duration.ofMinutes(1));
    this.maxInFlight = maxInFlight;
    this.capacity = capacity;
    this.sessions = sessions;
    store.setChangeListener(this::publish);
    store.setWakeListener(this::signal);
    this.batches = store.prefersBatches();
    this.ackWriters = Math.max(1, store.concurrentWrites());
  }

  private Lane lane(String sessionId) {
    return lanes.computeIfAbsent(sessionId, Lane::new);
  }

  // ---- triggers ----

  /** A message was stored: drain now, or wake when it is due. */
  void onEnqueued(OutboundMessage m, Instant dueAt) {
    Lane lane = lane(m.sessionId());
    lane.expectWork = true;
    Instant now = ctx.scheduler().now();
    if (dueAt.isAfter(now)) {
      wakeAt(lane, dueAt);
    } else {
      signal(lane);
    }
  }

  @Override
  public void onSendable(ManagedSession session) {
    signal(lane(session.id));
  }

  /** Another instance stored messages of this session (the store's wake listener). */
  void signal(String sessionId) {
    Lane lane = lane(sessionId);
    lane.expectWork = true;
    signal(lane);
  }

  private void signal(Lane lane) {
    if (lane.signals.getAndIncrement() == 0) {
      ctx.scheduler().execute(() -> run(lane));
    }
  }

  /**
   * Drains until no signal arrived during the last pass (no lost wake-ups, one drain per lane). A
   * drain that used its time slice with work left gives the thread up and queues itself again, so
   * a deep queue on a fast engine does not starve other sessions, timers and lease heartbeats.
   */
  private void run(Lane lane) {
    int seen;
    do {
      seen = lane.signals.get();
      boolean more = false;
      ctx.metrics().runStarted();
      try (var m = Mdc.session(lane.sessionId)) {
        more = drain(lane);
      } catch (RuntimeException e) {
        log.error("dispatch of session {} failed; retrying in 1 s", lane.sessionId, e);
        wakeAt(lane, ctx.scheduler().now().plusSeconds(1));
      } finally {
        ctx.metrics().runEnded();
      }
      if (more) {
        lane.signals.set(1); // this lane's one pending run is the one queued here
        ctx.scheduler().execute(() -> run(lane));
        return;
      }
    } while (!lane.signals.compareAndSet(seen, 0));
  }

  private void wakeAt(Lane lane, Instant at) {
    synchronized (lane) {
      if (lane.wakeAt != null && !at.isBefore(lane.wakeAt)) {
        return;
      }
      if (lane.wake != null) {
        lane.wake.cancel();
      }
      lane.wakeAt = at;
      Duration delay = Duration.between(ctx.scheduler().now(), at);
      lane.wake = ctx.scheduler().schedule(delay, () -> {
        lane.expectWork = true; // something falls due now: a retry, a scheduled message, the end of a hold
        synchronized (lane) {
          lane.wake = null;
          lane.wakeAt = null;
        }
        signal(lane);
      });
    }
  }

  // ---- the drain ----

  /** @return true when it stopped with work left because its time slice was used */
  private boolean drain(Lane lane) {
    long sliceEnds = System.nanoTime() + SLICE_NANOS;
    Instant now = ctx.scheduler().now();
    Instant paused = lane.pausedUntil;
    if (paused != null) {
      if (now.isBefore(paused)) {
        wakeAt(lane, paused);
        return false;
      }
      lane.pausedUntil = null;
      lane.consecutiveFailures.set(0);
      ctx.bus().publish(new GatewayEvent.SendingResumed(ctx.ids().next("evt"), now, lane.sessionId));
    }
    ManagedSession session;
    try {
      session = sessions.apply(lane.sessionId);
    } catch (RuntimeException deleted) {
      lanes.remove(lane.sessionId);
      return false;
    }
    boolean sentOne = false;
    while (true) {
      EngineConnection conn = session.connectionIfSendable();
      if (conn == null) {
        return false; // the session signals again when it can send
      }
      int room = maxInFlight - lane.inFlight.get();
      if (room <= 0) {
        return false; // a completion signals again
      }
      int want = Math.min(room, config.claimBatch());
      // when the first message may go unless its recipient is held, the claim marks it SENDING too:
      // one store call fewer a claim
      Collection<String> held = batches && lane.expectWork ? heldRecipients(lane, session, now) : null;
      List<Claimed> batch = held != null ? store.claimFirstSending(lane.sessionId, now, want, lease, held)
          : store.claim(lane.sessionId, now, want, lease);
      if (batch.size() < want) {
        lane.expectWork = false; // until something is stored or falls due
      }
      if (batch.isEmpty()) {
        store.nextDue(lane.sessionId).ifPresent(due -> wakeAt(lane, due));
        return false;
      }
      // With a store that prefers batches, the first message that may go is marked SENDING and sent
      // alone: if it fails at once (the engine refuses, the session pauses) nothing else was marked.
      // The rest of the batch is then marked in one store call and sent. Otherwise each message is
      // marked and sent in turn, the pause checked before each. A message the claim marked is sent
      // whatever happened since: the pause was checked just before the claim, and it is SENDING now.
      List<Claimed> go = new ArrayList<>(batch.size());
      boolean lagSampled = false;
      // acceptances that come back at once, the first message's too, are recorded together when the
      // batch has been handed over (one store call for the batch)
      Lane[] holding = holdingAcks.get();
      holding[0] = batches ? lane : null;
      try {
        for (int i = 0; i < batch.size(); i++) {
          Claimed c = batch.get(i);
          if (!c.sending() && (lane.pausedUntil != null || session.connectionIfSendable() != conn)) {
            releaseRest(go, 0, now);
            releaseRest(batch, i, now);
            signal(lane);
            return false;
          }
          if (c.expiredAt(now)) {
            store.deadLetter(c.id(),
                Failure.of(FailureType.EXPIRED, "expired", "not sent before " + c.message().expiresAt()), now);
            capacity.release();
            continue;
          }
          Hold hold = pace(lane, session, c.message(), now);
          if (hold != null && !c.sending()) { // (heldRecipients held none for a message the claim marked)
            store.release(c.id(), hold.until);
            if (hold.sessionWide) {
              releaseRest(batch, i + 1, hold.until);
              sendAll(lane, conn, go, now, true);
              wakeAt(lane, hold.until);
              return false;
            }
            continue;
          }
          if (sentOne && batches) {
            go.add(c);
          } else {
            sendAll(lane, conn, List.of(c), now, !lagSampled);
            sentOne = true;
            lagSampled = true;
          }
        }
        sendAll(lane, conn, go, now, true);
      } finally {
        if (holding[0] != null) {
          holding[0] = null;
          flushAcks();
        }
      }
      if (batch.size() < want) {
        store.nextDue(lane.sessionId).ifPresent(due -> wakeAt(lane, due));
        return false;
      }
      if (System.nanoTime() - sliceEnds > 0) {
        return true;
      }
      now = ctx.scheduler().now();
    }
  }

  private void releaseRest(List<Claimed> batch, int from, Instant at) {
    for (int j = from; j < batch.size(); j++) {
      store.release(batch.get(j).id(), at);
    }
  }

  // ---- pacing ----

  private record Hold(Instant until, boolean sessionWide) {}

  private void hit(Lane lane, String limit) {
    rateLimitHits.computeIfAbsent(lane.sessionId, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(limit, k -> new LongAdder()).increment();
  }

  /**
   * The recipients whose message {@link #pace} would hold now (the recipient gap), when a message
   * to anyone else may go: the session is not paused, the session-wide rules (rate, warm-up) allow
   * a send and the day's new contacts are not used up. Null when that does not hold, or when more recipients are held than a
   * claim should carry. Takes nothing: a message takes what it uses in {@link #pace}, which then
   * holds a message to any other recipient no more than this did.
   */
  private @Nullable Collection<String> heldRecipients(Lane lane, ManagedSession session, Instant now) {
    if (lane.pausedUntil != null) {
      return null; // paused by a failure during this drain: the loop's pause check must see every message
    }
    if (pacing.ratePerSecond() > 0 && refill(lane, now) < 1) {
      return null;
    }
    if (warmUpEnds(lane, session, now) != null) {
      return null;
    }
    if (pacing.newContactsPerDay() > 0 && newContactsToday(lane, now) >= pacing.newContactsPerDay()) {
      return null; // whether the first may go depends on whether its recipient is known
    }
    if (pacing.recipientGap().isZero()) {
      return List.of();
    }
    while (!lane.recentSends.isEmpty()
        && !now.isBefore(lane.recentSends.peekFirst().at().plus(pacing.recipientGap()))) {
      lane.recentSends.pollFirst();
    }
    if (lane.recentSends.size() > MAX_HELD_RECIPIENTS) {
      return null;
    }
    Set<String> held = new HashSet<>();
    for (SentTo s : lane.recentSends) {
      held.add(s.to());
    }
    return held;
  }

  /** The day's count of new contacts, reset when the day changed. */
  private long newContactsToday(Lane lane, Instant now) {
    long day = now.truncatedTo(ChronoUnit.DAYS).getEpochSecond() / 86_400;
    if (day != lane.contactsDay) {
      lane.contactsDay = day;
      lane.newContactsToday = 0;
    }
    return lane.newContactsToday;
  }

  /** Adds the tokens earned since the last refill; returns how many there are. */
  private double refill(Lane lane, Instant now) {
    if (lane.tokensAt != null) {
      double elapsed = Duration.between(lane.tokensAt, now).toNanos() / 1e9;
      lane.tokens = Math.min(pacing.burst(), lane.tokens + elapsed * pacing.ratePerSecond());
    }
    lane.tokensAt = now;
    return lane.tokens;
  }

  /** When the warm-up cap reached today ends, or null when the session may send more today. */
  private @Nullable Instant warmUpEnds(Lane lane, ManagedSession session, Instant now) {
    PacingPolicy.WarmUp warmUp = pacing.warmUp();
    Instant pairedAt = session.pairedAt();
    if (warmUp == null || pairedAt == null) {
      return null;
    }
    long day = Duration.between(pairedAt, now).toDays();
    if (day != lane.capDay) {
      lane.capDay = day;
      lane.sentOnCapDay = 0;
    }
    long limit = warmUp.limitOnDay(day);
    return limit >= 0 && lane.sentOnCapDay >= limit ? pairedAt.plus(Duration.ofDays(day + 1)) : null;
  }

  /** Null to send now, else when the message may go and whether the whole session waits. */
  private @Nullable Hold pace(Lane lane, ManagedSession session, OutboundMessage m, Instant now) {
    if (pacing.ratePerSecond() > 0) {
      if (refill(lane, now) < 1) {
        hit(lane, "session_rate");
        long waitNanos = (long) Math.ceil((1 - lane.tokens) / pacing.ratePerSecond() * 1e9);
        return new Hold(now.plusNanos(waitNanos), true);
      }
    }
    String to = m.to().asString();
    if (!pacing.recipientGap().isZero()) {
      Instant last = lane.lastSentTo.get(to);
      if (last != null && now.isBefore(last.plus(pacing.recipientGap()))) {
        hit(lane, "recipient_gap");
        return new Hold(last.plus(pacing.recipientGap()), false);
      }
    }
    Instant warmUpEnds = warmUpEnds(lane, session, now);
    if (warmUpEnds != null) {
      hit(lane, "warm_up");
      return new Hold(warmUpEnds, true);
    }
    if (pacing.newContactsPerDay() > 0 && !lane.knownContacts.contains(to)) {
      if (newContactsToday(lane, now) >= pacing.newContactsPerDay()) {
        hit(lane, "new_contacts");
        return new Hold(now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)), false);
      }
    }
    // The message goes: take what it uses.
    if (pacing.ratePerSecond() > 0) {
      lane.tokens -= 1;
    }
    if (!pacing.recipientGap().isZero()) {
      lane.lastSentTo.put(to, now);
      if (batches) {
        lane.recentSends.addLast(new SentTo(to, now));
        if (lane.recentSends.size() > 2 * MAX_HELD_RECIPIENTS) {
          lane.recentSends.pollFirst(); // past the limit heldRecipients gives up anyway
        }
      }
      if (lane.lastSentTo.size() > 50_000) {
        Instant cutoff = now.minus(pacing.recipientGap());
        lane.lastSentTo.values().removeIf(t -> t.isBefore(cutoff));
      }
    }
    if (pacing.warmUp() != null) {
      lane.sentOnCapDay++;
    }
    if (pacing.newContactsPerDay() > 0 && lane.knownContacts.add(to)) {
      lane.newContactsToday++;
    }
    return null;
  }

  // ---- sending ----

  /**
   * Marks the messages SENDING (in one store call when the store prefers batches), then hands each
   * to the engine; {@code recordLag}: whether this call samples the dispatch lag.
   */
  private void sendAll(Lane lane, EngineConnection conn, List<Claimed> go, Instant now, boolean recordLag) {
    if (go.isEmpty()) {
      return;
    }
    if (!batches) {
      for (Claimed c : go) {
        try {
          if (!c.sending()) {
            store.markSending(c.id(), now);
          }
        } catch (dev.wagateway.FencedException fenced) {
          releaseRest(go, go.indexOf(c), now);
          log.warn("not sending messages of session {}: {}", lane.sessionId, fenced.getMessage());
          return;
        }
        averageLag(Math.max(0, nanosBetween(c.availableAt(), now)));
        send(lane, conn, c, now);
      }
      if (recordLag) {
        sampleLag(go, now);
      }
      return;
    }
    try {
      List<String> unmarked = go.stream().filter(c -> !c.sending()).map(Claimed::id).toList();
      if (!unmarked.isEmpty()) {
        store.markSendingAll(unmarked, now);
      }
    } catch (dev.wagateway.FencedException fenced) {
      // another instance owns the session now: this one must not send; the new owner gets the claims
      releaseRest(go, 0, now);
      log.warn("not sending {} messages of session {}: {}", go.size(), lane.sessionId, fenced.getMessage());
      return;
    }
    if (recordLag) {
      averageLag(sampleLag(go, now));
    }
    for (Claimed c : go) {
      send(lane, conn, c, now); // acceptances that come back at once are held until the drain's batch is handed over
    }
  }

  /**
   * The dispatch lag is sampled about once per claimed batch, by its oldest message: what matters is
   * how late the dispatcher runs, as an event loop's lag is sampled, not one figure per message.
   */
  private long sampleLag(List<Claimed> go, Instant now) {
    Instant oldest = go.get(0).availableAt();
    for (Claimed c : go) {
      oldest = c.availableAt().isBefore(oldest) ? c.availableAt() : oldest;
    }
    long lag = Math.max(0, nanosBetween(oldest, now));
    ctx.metrics().dispatchLag(lag);
    return lag;
  }

  /** Moves the lag's running average (what the queue stats report) towards {@code lag}. */
  private void averageLag(long lag) {
    lagNanosEwma.getAndUpdate(prev -> prev == 0 ? lag : prev + (lag - prev) / 16);
  }

  private void send(Lane lane, EngineConnection conn, Claimed c, Instant now) {
    OutboundMessage m = c.message();
    int attempt = c.attempts() + 1;
    Operation op = ctx.observer().sendStarted(m.sessionId(), m.id(), m.content().type(), attempt);
    lane.inFlight.incrementAndGet();
    inFlightTotal.incrementAndGet();
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<SendAck> future;
    try {
      // the common case stays one call; only a media URL to fetch goes through the fetch pool first
      future = ctx.media().needsFetch(m) ? ctx.media().fetchAsync(m).thenCompose(x -> conn.send(x).toCompletableFuture())
          : conn.send(ctx.media().forEngine(m)).toCompletableFuture();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    if (future.isDone()) {
      complete(lane, c, attempt, future, done, now, op);
      return;
    }
    Cancellable timeout = ctx.scheduler().schedule(sendTimeout, () -> {
      if (done.compareAndSet(false, true)) {
        try (var mdc = Mdc.message(m.id())) {
          log.warn("send of {} to {} got no answer within {}", m.id(), m.to(), sendTimeout);
        }
        finished(lane, c, attempt, null,
            Failure.of(FailureType.TRANSIENT, "timeout", "no answer within " + sendTimeout), now, op);
      }
    });
    CompletableFuture<SendAck> f = future;
    f.whenComplete((ack, err) -> {
      timeout.cancel();
      complete(lane, c, attempt, f, done, now, op);
    });
  }

  private void complete(Lane lane, Claimed c, int attempt, CompletableFuture<SendAck> f,
      AtomicBoolean done, Instant startedAt, Operation op) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    SendAck ack = null;
    Failure failure = null;
    try {
      ack = f.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      failure = failureOf(e);
    }
    finished(lane, c, attempt, ack, failure, startedAt, op);
  }

  private void finished(Lane lane, Claimed c, int attempt, @Nullable SendAck ack,
      @Nullable Failure failure, Instant startedAt, Operation op) {
    try {
      if (ack != null) {
        op.end("sent", 0, null);
        accepted(lane, c, attempt, ack, startedAt); // logs nothing: no MDC work on the hot path
      } else {
        op.end(failure.type().tag(), 0, failure.code());
        try (var mdc = Mdc.session(lane.sessionId); var mm = Mdc.message(c.id())) {
          failed(lane, c, attempt, failure);
        }
      }
    } finally {
      lane.inFlight.decrementAndGet();
      inFlightTotal.decrementAndGet();
      signal(lane);
    }
  }

  /** An engine's acceptance waiting to be recorded with others in one store call. */
  private record Accepted(String sessionId, Claimed claimed, SendAck ack, Instant startedAt,
      @Nullable Thread heldByDrain) {}

  /**
   * Acceptances are recorded in batches, with no thread of their own: the ones a drain's batch gets
   * at once are recorded together when the batch has been handed over; one that arrives later is
   * recorded by its own thread, unless another is recording, which then takes it along (group
   * commit, as a database likes it).
   */
  private void accepted(Lane lane, Claimed c, int attempt, SendAck ack, Instant startedAt) {
    lane.consecutiveFailures.set(0);
    if (!batches) {
      recorded(lane.sessionId, c, ack, startedAt,
          store.markSent(c.id(), ack.providerMessageId(), ack.at()).isPresent());
      return;
    }
    boolean inDrain = holdingAcks.get()[0] == lane; // this lane's batch, being handed over on this thread
    acks.add(new Accepted(lane.sessionId, c, ack, startedAt, inDrain ? Thread.currentThread() : null));
    if (!inDrain) {
      flushAcks();
    }
  }

  /**
   * Records every queued acceptance unless as many threads as the store takes writes at once are
   * recording them (they look again when they are done); also called at shutdown. One writer at a
   * time capped completions on PostgreSQL at a batch per commit while the enqueues' commits ran
   * four at a time (docs/BENCHMARKS.md, 2026-12-03).
   */
  void flushAcks() {
    while (!acks.isEmpty()) {
      int writing = ackWriting.get();
      if (writing >= ackWriters) {
        return;
      }
      if (!ackWriting.compareAndSet(writing, writing + 1)) {
        continue;
      }
      try {
        List<Accepted> batch = new ArrayList<>();
        for (Accepted a; batch.size() < MAX_ACK_BATCH && (a = acks.poll()) != null; ) {
          batch.add(a);
        }
        if (!batch.isEmpty()) {
          record(batch);
        }
      } finally {
        ackWriting.decrementAndGet();
      }
    }
  }

  private void record(List<Accepted> batch) {
    List<java.util.Optional<StatusLog.Change>> changes;
    try {
      changes = store.markSentAll(batch.stream()
          .map(a -> new QueueStore.Ack(a.claimed().id(), a.ack().providerMessageId(), a.ack().at())).toList());
    } catch (RuntimeException e) {
      // the messages stay SENDING under their lease; when it ends they are sent again
      log.error("recording {} acknowledged sends failed; they are retried when their lease ends", batch.size(), e);
      return;
    }
    Set<String> lanesToWake = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      Accepted a = batch.get(i);
      if (a.heldByDrain() != Thread.currentThread()) {
        lanesToWake.add(a.sessionId());
      }
      recorded(a.sessionId(), a.claimed(), a.ack(), a.startedAt(), changes.get(i).isPresent());
    }
    // a finished message frees the next one to its recipient: a lane that ran meanwhile may have
    // found nothing to claim (a drain recording its own batch needs no wake: it goes on claiming)
    for (String sessionId : lanesToWake) {
      Lane lane = lanes.get(sessionId);
      if (lane != null) {
        signal(lane);
      }
    }
  }

  /**
   * What follows an acceptance once it is recorded. {@code sessionId} is the lane's own string, the
   * one the tracker's maps already hold: the message's copy of the id is cold in the cache by now.
   */
  private void recorded(String sessionId, Claimed c, SendAck ack, Instant startedAt, boolean changed) {
    if (changed) {
      OutboundMessage m = c.message();
      ctx.metrics().messageSent(sessionId, m.content().type(), nanosBetween(startedAt, ack.at()),
          nanosBetween(m.createdAt(), ack.at()));
    }
    sent.increment();
    capacity.release();
    Receipt early = earlyReceipts.remove(ack.providerMessageId());
    if (early != null) {
      applyReceipt(sessionId, ack.providerMessageId(), early.status(), early.at(), early.failure());
    }
  }

  /** Acceptances recorded by no flush yet. */
  int unrecordedAcks() {
    return acks.size();
  }

  private static long nanosBetween(Instant a, Instant b) {
    return (b.getEpochSecond() - a.getEpochSecond()) * 1_000_000_000L + (b.getNano() - a.getNano());
  }

  private void failed(Lane lane, Claimed c, int attempt, Failure failure) {
    Instant now = ctx.scheduler().now();
    OutboundMessage m = c.message();
    ctx.metrics().messageFailed(m.sessionId(), m.content().type(), failure.type());
    log.info("attempt {} of message {} to {} failed: {} ({})", attempt, m.id(), m.to(),
        failure.type(), failure.code());
    if (failure.type() == FailureType.RATE_LIMITED) {
      hit(lane, failure.perRecipient() ? "engine_recipient" : "engine");
      Duration wait = failure.retryAfter() != null ? failure.retryAfter() : config.retry().initialDelay();
      if (!failure.perRecipient()) {
        pause(lane, now.plus(wait), "rate limited by WhatsApp (" + failure.code() + ")");
      }
    }
    // A limit on one recipient says nothing about the session's health: it does not feed the breaker.
    int streak = failure.perRecipient() ? lane.consecutiveFailures.get()
        : lane.consecutiveFailures.incrementAndGet();
    if (!failure.perRecipient() && pacing.breakerThreshold() > 0 && streak >= pacing.breakerThreshold()) {
      pause(lane, now.plus(pacing.breakerPause()), streak + " consecutive send failures");
    }
    Instant retryAt = now.plusMillis(backoff.apply(attempt));
    if (failure.retryAfter() != null && retryAt.isBefore(now.plus(failure.retryAfter()))) {
      retryAt = now.plus(failure.retryAfter());
    }
    Instant expiresAt = m.expiresAt();
    boolean retry = failure.type().retryable() && attempt < config.retry().maxAttempts()
        && (expiresAt == null || retryAt.isBefore(expiresAt));
    if (retry) {
      store.retry(c.id(), failure, now, retryAt);
      wakeAt(lane, retryAt);
    } else {
      Failure last = failure.type().retryable() && attempt >= config.retry().maxAttempts()
          ? new Failure(failure.type(), failure.code(),
              failure.detail() + " (gave up after " + attempt + " attempts)", failure.retryAfter())
          : failure;
      store.deadLetter(c.id(), last, now);
      capacity.release();
    }
  }

  private void pause(Lane lane, Instant until, String reason) {
    Instant current = lane.pausedUntil;
    if (current != null && !until.isAfter(current)) {
      return;
    }
    lane.pausedUntil = until;
    log.warn("session {} pauses sending until {}: {}", lane.sessionId, until, reason);
    ctx.bus().publish(new GatewayEvent.SendingPaused(ctx.ids().next("evt"), ctx.scheduler().now(),
        lane.sessionId, until, reason));
    wakeAt(lane, until);
  }

  private static Failure failureOf(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof EngineSendException ese) {
      return ese.failure();
    }
    return Failure.of(FailureType.TRANSIENT, "engine_error",
        "the engine failed: " + t.getClass().getSimpleName());
  }

  // ---- receipts ----

  @Override
  public void onReceipt(ManagedSession session, String providerMessageId, MessageStatus status,
      Instant at, @Nullable Failure failure) {
    if (!applyReceipt(session.id, providerMessageId, status, at, failure)
        && store.findByProvider(providerMessageId).isEmpty()
        && earlyReceipts.size() < MAX_EARLY_RECEIPTS) {
      // The receipt overtook the ack: keep it until the ack links the provider id.
      earlyReceipts.merge(providerMessageId, new Receipt(status, at, failure),
          (a, b) -> b.status().ordinal() > a.status().ordinal() ? b : a);
      if (store.findByProvider(providerMessageId).isPresent()) {
        // the ack was recorded between the lookup and the merge: apply it here, as its flush did not
        Receipt early = earlyReceipts.remove(providerMessageId);
        if (early != null) {
          applyReceipt(session.id, providerMessageId, early.status(), early.at(), early.failure());
        }
      }
    }
  }

  /**
   * Returns true when the receipt moved a message forward (the store's listener publishes it). The
   * metrics count it for {@code sessionId}, the session whose engine reported it, by the session's
   * own string (the stored message's copy of the id is cold in the cache).
   */
  private boolean applyReceipt(String sessionId, String providerMessageId, MessageStatus status, Instant at,
      @Nullable Failure failure) {
    var r = store.applyReceipt(providerMessageId, status, at, failure);
    r.ifPresent(x -> {
      MessageInfo info = x.message();
      ctx.metrics().receipt(sessionId, x.change().status());
      if (x.change().status() == MessageStatus.FAILED && failure != null) {
        // Accepted, then refused (the Cloud API reports e.g. 131026 this way): a failure like any other.
        ctx.metrics().messageFailed(sessionId, info.message().content().type(), failure.type());
      }
    });
    return r.isPresent();
  }

  // ---- events ----

  /** The store's change listener: runs with the message locked, so events are in order. */
  private void publish(OutboundMessage m, int attempt, StatusLog.Change ch) {
    ctx.bus().publish(new GatewayEvent.MessageStatusChanged(ctx.ids().next("evt"), ch.at(),
        m.sessionId(), m.id(), m.to(), m.content().type(), ch.status(), ch.failure(), attempt,
        m.createdAt()));
  }

  // ---- lifecycle and stats ----

  int inFlight() {
    return inFlightTotal.get();
  }

  void forget(String sessionId) {
    Lane l = lanes.remove(sessionId);
    if (l != null) {
      synchronized (l) {
        if (l.wake != null) {
          l.wake.cancel();
        }
      }
    }
  }

  @Override
  public Map<String, QueueCounts> bySession() {
    return store.counts();
  }

  @Override
  public Set<String> pausedSessions() {
    Instant now = ctx.scheduler().now();
    Set<String> out = new HashSet<>();
    lanes.forEach((id, l) -> {
      Instant p = l.pausedUntil;
      if (p != null && now.isBefore(p)) {
        out.add(id);
      }
    });
    return out;
  }

  @Override
  public Map<String, Long> rateLimitHits() {
    Map<String, Long> out = new TreeMap<>();
    rateLimitHits.values().forEach(m -> m.forEach((k, v) -> out.merge(k, v.sum(), Long::sum)));
    return out;
  }

  @Override
  public Map<String, Map<String, Long>> rateLimitHitsBySession() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    rateLimitHits.forEach((session, m) -> {
      Map<String, Long> c = new TreeMap<>();
      m.forEach((k, v) -> c.put(k, v.sum()));
      out.put(session, c);
    });
    return out;
  }

  @Override
  public long sent() {
    return sent.sum();
  }

  @Override
  public Duration recentDispatchLag() {
    return Duration.ofNanos(lagNanosEwma.get());
  }
}
