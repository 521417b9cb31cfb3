package dev.wagateway.queue;

import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link QueueStore} in memory: the default of the embedded gateway and of tests. Nothing
 * survives the process. Each session has its own lock, so sessions never contend.
 *
 * <p>Per session, every recipient has a FIFO of unfinished messages; only its head can be claimed.
 * Unclaimed heads wait in {@code ready} (due, ordered by priority then enqueue order) or
 * {@code delayed} (ordered by due time).
 */
public final class InMemoryQueueStore implements QueueStore {

  private static final Comparator<Entry> BY_PRIORITY =
      Comparator.<Entry>comparingInt(e -> e.message.priority().ordinal()).thenComparingLong(e -> e.seq);
  private static final Comparator<Entry> BY_DUE =
      Comparator.<Entry, Instant>comparing(e -> e.availableAt).thenComparingLong(e -> e.seq);

  private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> byProvider = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Idem> idempotency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SessionQueue> sessions = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  /** Sent and cancelled entries in the order they finished, for pruning without a scan. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Entry> finishedOrder =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile ChangeListener listener = (m, a, c) -> {};

  @Override
  public void setChangeListener(ChangeListener listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** Called with the entry's queue locked. */
  private StatusLog.Change emit(Entry e, StatusLog.Change ch) {
    listener.onChange(e.message, e.attempts, ch);
    return ch;
  }

  private record Idem(String id, Instant expiresAt) {}

  /** One message; its mutable fields are guarded by its session queue's lock. */
  private static final class Entry {
    final OutboundMessage message;
    final SessionQueue queue;
    final String recipient;
    final StatusLog log;
    long seq;
    int attempts;
    Instant availableAt;
    @Nullable Instant leaseUntil;
    @Nullable String providerId;
    @Nullable Failure lastFailure;
    @Nullable Instant deadAt;
    @Nullable Instant finishedAt;
    boolean unfinished = true;

    Entry(OutboundMessage message, SessionQueue queue, long seq, Instant availableAt) {
      this.message = message;
      this.queue = queue;
      this.recipient = message.to().asString();
      this.seq = seq;
      this.availableAt = availableAt;
      this.log = new StatusLog(MessageStatus.QUEUED, message.createdAt(), "accepted");
    }

    MessageInfo info() {
      return new MessageInfo(message, log.current(), log.history(), attempts, availableAt, providerId,
          lastFailure);
    }
  }

  private static final class SessionQueue {
    final Map<String, ArrayDeque<Entry>> byRecipient = new HashMap<>();
    final PriorityQueue<Entry> ready = new PriorityQueue<>(BY_PRIORITY);
    final PriorityQueue<Entry> delayed = new PriorityQueue<>(BY_DUE);
    final Set<Entry> claimed = new HashSet<>();
    final LinkedHashMap<String, Entry> dead = new LinkedHashMap<>();
    long waiting;

    /** Puts an unclaimed head where claim looks: ready when due at {@code now}, else delayed. */
    void place(Entry head, Instant now) {
      if (head.availableAt.isAfter(now)) {
        delayed.add(head);
      } else {
        ready.add(head);
      }
    }

    /** Removes a finished entry from its recipient's FIFO and offers the next one. */
    void finish(Entry e, Instant now) {
      e.unfinished = false;
      ArrayDeque<Entry> q = byRecipient.get(e.recipient);
      if (q == null) {
        return;
      }
      boolean wasHead = q.peekFirst() == e;
      q.remove(e);
      if (q.isEmpty()) {
        byRecipient.remove(e.recipient);
      } else if (wasHead && q.peekFirst().leaseUntil == null) {
        place(q.peekFirst(), now);
      }
    }
  }

  private SessionQueue queue(String sessionId) {
    return sessions.computeIfAbsent(sessionId, id -> new SessionQueue());
  }

  @Override
  public EnqueueResult enqueue(OutboundMessage message, Instant now, Duration idempotencyWindow) {
    SessionQueue sq = queue(message.sessionId());
    Instant due = message.notBefore() != null && message.notBefore().isAfter(now) ? message.notBefore() : now;
    Entry e = new Entry(message, sq, 0, due);
    String key = message.idempotencyKey();
    if (key != null) {
      Idem fresh = new Idem(message.id(), now.plus(idempotencyWindow));
      Idem winner = idempotency.compute(message.sessionId() + '\u0000' + key,
          (k, old) -> old != null && old.expiresAt().isAfter(now) ? old : fresh);
      if (winner != fresh) {
        return new EnqueueResult.Duplicate(winner.id());
      }
    }
    synchronized (sq) {
      e.seq = sequence.incrementAndGet();
      byId.put(message.id(), e);
      emit(e, e.log.history().get(0));
      ArrayDeque<Entry> q = sq.byRecipient.computeIfAbsent(e.recipient, r -> new ArrayDeque<>(4));
      q.addLast(e);
      sq.waiting++;
      if (q.size() == 1) {
        sq.place(e, now);
      }
      return new EnqueueResult.Accepted(e.info());
    }
  }

  @Override
  public List<Claimed> claim(String sessionId, Instant now, int max, Duration lease) {
    SessionQueue sq = sessions.get(sessionId);
    if (sq == null) {
      return List.of();
    }
    synchronized (sq) {
      while (!sq.delayed.isEmpty() && !sq.delayed.peek().availableAt.isAfter(now)) {
        sq.ready.add(sq.delayed.poll());
      }
      if (sq.ready.isEmpty()) {
        return List.of();
      }
      List<Claimed> out = new ArrayList<>(Math.min(max, sq.ready.size()));
      Instant until = now.plus(lease);
      while (out.size() < max) {
        Entry e = sq.ready.poll();
        if (e == null) {
          break;
        }
        e.leaseUntil = until;
        sq.claimed.add(e);
        sq.waiting--;
        out.add(new Claimed(e.message, e.attempts, e.availableAt));
      }
      return out;
    }
  }

  private @Nullable Entry entry(String id) {
    return byId.get(id);
  }

  @Override
  public void release(String id, Instant availableAt) {
    Entry e = entry(id);
    if (e == null) {
      return;
    }
    synchronized (e.queue) {
      if (e.leaseUntil == null || !e.unfinished) {
        return;
      }
      unclaim(e);
      e.availableAt = availableAt;
      e.queue.delayed.add(e);
    }
  }

  private void finished(Entry e, Instant at) {
    e.finishedAt = at;
    finishedOrder.add(e);
  }

  /**
   * Takes an unfinished entry out of whatever holds it now: its lease (claimed) or, when it is a
   * waiting head, the ready or delayed heap. Afterwards it is counted neither active nor waiting.
   */
  private static void takeOut(Entry e) {
    SessionQueue sq = e.queue;
    if (e.leaseUntil != null) {
      e.leaseUntil = null;
      sq.claimed.remove(e);
    } else {
      sq.waiting--;
      if (!sq.ready.remove(e)) {
        sq.delayed.remove(e);
      }
    }
  }

  private static void unclaim(Entry e) {
    e.leaseUntil = null;
    e.queue.claimed.remove(e);
    e.queue.waiting++;
  }

  @Override
  public Optional<StatusLog.Change> markSending(String id, Instant at) {
    Entry e = entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      e.attempts++;
      return e.log.advance(MessageStatus.SENDING, at, null, "attempt " + e.attempts).map(ch -> emit(e, ch));
    }
  }

  @Override
  public Optional<StatusLog.Change> markSent(String id, String providerMessageId, Instant at) {
    Entry e = entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      e.providerId = providerMessageId;
      byProvider.put(providerMessageId, id);
      if (e.unfinished) {
        takeOut(e);
        e.queue.finish(e, at);
        finished(e, at);
      }
      return e.log.advance(MessageStatus.SENT, at, null, "acknowledged").map(ch -> emit(e, ch));
    }
  }

  @Override
  public List<StatusLog.Change> retry(String id, Failure failure, Instant at, Instant retryAt) {
    Entry e = entry(id);
    if (e == null) {
      return List.of();
    }
    synchronized (e.queue) {
      List<StatusLog.Change> changes = new ArrayList<>(2);
      e.log.advance(MessageStatus.FAILED, at, failure, failure.code()).map(ch -> emit(e, ch))
          .ifPresent(changes::add);
      e.lastFailure = failure;
      if (e.log.current().isAccepted() || !e.unfinished) {
        return changes; // accepted meanwhile (a late ack): nothing to retry
      }
      changes.add(emit(e, e.log.restart(at, "retry " + (e.attempts + 1) + " due " + retryAt)));
      takeOut(e);
      e.queue.waiting++;
      e.availableAt = retryAt;
      e.queue.delayed.add(e);
      return changes;
    }
  }

  @Override
  public List<StatusLog.Change> deadLetter(String id, Failure failure, Instant at) {
    Entry e = entry(id);
    if (e == null) {
      return List.of();
    }
    synchronized (e.queue) {
      SessionQueue sq = e.queue;
      List<StatusLog.Change> changes = new ArrayList<>(2);
      if (e.log.current() == MessageStatus.SENDING) {
        e.log.advance(MessageStatus.FAILED, at, failure, failure.code()).map(ch -> emit(e, ch))
            .ifPresent(changes::add);
      }
      Optional<StatusLog.Change> dead = e.log.advance(MessageStatus.DEAD_LETTERED, at, failure,
          failure.type().name().toLowerCase(java.util.Locale.ROOT));
      if (dead.isEmpty()) {
        return changes;
      }
      changes.add(emit(e, dead.get()));
      e.lastFailure = failure;
      if (e.unfinished) {
        takeOut(e);
        sq.finish(e, at);
      }
      e.deadAt = at;
      sq.dead.put(id, e);
      return changes;
    }
  }

  @Override
  public Optional<Receipt> applyReceipt(String providerMessageId, MessageStatus status, Instant at,
      @Nullable Failure failure) {
    String id = byProvider.get(providerMessageId);
    Entry e = id == null ? null : entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      Optional<StatusLog.Change> ch = e.log.advance(status, at, failure, "receipt");
      if (ch.isPresent() && failure != null && status == MessageStatus.FAILED) {
        e.lastFailure = failure;
      }
      return ch.map(c -> new Receipt(e.info(), emit(e, c)));
    }
  }

  @Override
  public Optional<StatusLog.Change> cancel(String id, Instant at) {
    Entry e = entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      if (e.leaseUntil != null || !e.unfinished || e.log.current() != MessageStatus.QUEUED) {
        return Optional.empty();
      }
      Failure f = Failure.of(FailureType.CANCELLED, "cancelled", "cancelled by request");
      Optional<StatusLog.Change> ch = e.log.advance(MessageStatus.FAILED, at, f, "cancelled")
          .map(c -> emit(e, c));
      e.lastFailure = f;
      takeOut(e);
      e.queue.finish(e, at);
      finished(e, at);
      return ch;
    }
  }

  @Override
  public List<String> unfinishedIds(String sessionId) {
    SessionQueue sq = sessions.get(sessionId);
    if (sq == null) {
      return List.of();
    }
    synchronized (sq) {
      List<Entry> all = new ArrayList<>();
      sq.byRecipient.values().forEach(all::addAll);
      all.sort(Comparator.comparingLong(e -> e.seq));
      return all.stream().map(e -> e.message.id()).toList();
    }
  }

  @Override
  public Optional<MessageInfo> get(String id) {
    Entry e = entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      return Optional.of(e.info());
    }
  }

  @Override
  public Optional<MessageInfo> findByProvider(String providerMessageId) {
    String id = byProvider.get(providerMessageId);
    return id == null ? Optional.empty() : get(id);
  }

  private static boolean matches(Entry e, DeadLetterFilter f) {
    return (f.sessionId() == null || f.sessionId().equals(e.message.sessionId()))
        && (f.failureType() == null || (e.lastFailure != null && e.lastFailure.type() == f.failureType()))
        && (f.since() == null || !e.deadAt.isBefore(f.since()))
        && (f.until() == null || e.deadAt.isBefore(f.until()));
  }

  private List<Entry> deadMatching(DeadLetterFilter f, int limit) {
    List<Entry> out = new ArrayList<>();
    for (SessionQueue sq : sessions.values()) {
      synchronized (sq) {
        for (Entry e : sq.dead.values()) {
          if (matches(e, f)) {
            out.add(e);
          }
        }
      }
    }
    out.sort(Comparator.comparing((Entry e) -> e.deadAt).thenComparingLong(e -> e.seq));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  @Override
  public List<MessageInfo> deadLetters(DeadLetterFilter filter) {
    List<MessageInfo> out = new ArrayList<>();
    for (Entry e : deadMatching(filter, filter.limit())) {
      synchronized (e.queue) {
        out.add(e.info());
      }
    }
    return out;
  }

  @Override
  public Optional<StatusLog.Change> replay(String id, Instant at) {
    Entry e = entry(id);
    if (e == null) {
      return Optional.empty();
    }
    synchronized (e.queue) {
      SessionQueue sq = e.queue;
      if (sq.dead.remove(id) == null) {
        return Optional.empty();
      }
      e.attempts = 0;
      StatusLog.Change ch = emit(e, e.log.restart(at, "replayed from the dead-letter queue"));
      e.deadAt = null;
      e.unfinished = true;
      e.availableAt = at;
      e.seq = sequence.incrementAndGet();
      ArrayDeque<Entry> q = sq.byRecipient.computeIfAbsent(e.recipient, r -> new ArrayDeque<>(4));
      q.addLast(e);
      sq.waiting++;
      if (q.size() == 1) {
        sq.place(e, at);
      }
      return Optional.of(ch);
    }
  }

  @Override
  public int purge(DeadLetterFilter filter) {
    int n = 0;
    for (Entry e : deadMatching(filter, Integer.MAX_VALUE)) {
      synchronized (e.queue) {
        if (e.queue.dead.remove(e.message.id()) != null) {
          byId.remove(e.message.id());
          if (e.providerId != null) {
            byProvider.remove(e.providerId);
          }
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public int requeueLeases(Instant leasedUntil, Instant dueAt) {
    int n = 0;
    for (SessionQueue sq : sessions.values()) {
      synchronized (sq) {
        Iterator<Entry> it = sq.claimed.iterator();
        while (it.hasNext()) {
          Entry e = it.next();
          if (e.leaseUntil != null && !e.leaseUntil.isAfter(leasedUntil)) {
            it.remove();
            e.leaseUntil = null;
            sq.waiting++;
            e.availableAt = dueAt;
            sq.delayed.add(e);
            n++;
          }
        }
      }
    }
    return n;
  }

  @Override
  public int requeueSessionLeases(String sessionId, Instant dueAt) {
    SessionQueue sq = sessions.get(sessionId);
    if (sq == null) {
      return 0;
    }
    synchronized (sq) {
      int n = sq.claimed.size();
      for (Entry e : sq.claimed) {
        e.leaseUntil = null;
        sq.waiting++;
        e.availableAt = dueAt;
        sq.delayed.add(e);
      }
      sq.claimed.clear();
      return n;
    }
  }

  @Override
  public Optional<Instant> nextDue(String sessionId) {
    SessionQueue sq = sessions.get(sessionId);
    if (sq == null) {
      return Optional.empty();
    }
    synchronized (sq) {
      Entry r = sq.ready.peek();
      Entry d = sq.delayed.peek();
      if (r == null && d == null) {
        return Optional.empty();
      }
      if (r == null) {
        return Optional.of(d.availableAt);
      }
      return Optional.of(d == null || r.availableAt.isBefore(d.availableAt) ? r.availableAt : d.availableAt);
    }
  }

  @Override
  public Map<String, QueueCounts> counts() {
    Map<String, QueueCounts> out = new HashMap<>();
    sessions.forEach((id, sq) -> {
      synchronized (sq) {
        if (sq.waiting > 0 || !sq.claimed.isEmpty() || !sq.dead.isEmpty()) {
          out.put(id, new QueueCounts(sq.waiting, sq.claimed.size(), sq.dead.size()));
        }
      }
    });
    return out;
  }

  @Override
  public int pruneFinished(Instant cutoff) {
    int n = 0;
    Entry e;
    while ((e = finishedOrder.peek()) != null) {
      Instant at = e.finishedAt;
      if (at != null && !at.isBefore(cutoff)) {
        break;
      }
      finishedOrder.poll();
      synchronized (e.queue) {
        if (e.deadAt == null && !e.unfinished) {
          byId.remove(e.message.id(), e);
          if (e.providerId != null) {
            byProvider.remove(e.providerId);
          }
          n++;
        }
      }
    }
    idempotency.values().removeIf(i -> i.expiresAt().isBefore(cutoff));
    return n;
  }
}
