package dev.wagateway.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebhookOutbox} in memory: the default of the embedded gateway and of tests; nothing
 * survives the process. One lock guards it (webhook rates are far below message rates).
 */
public final class InMemoryWebhookOutbox implements WebhookOutbox {

  private static final class Entry {
    WebhookDelivery d;
    final long seq;
    @Nullable Instant leaseUntil;

    Entry(WebhookDelivery d, long seq) {
      this.d = d;
      this.seq = seq;
    }
  }

  /**
   * A heap node: immutable, so a delivery whose due time changes is simply pushed again; a node is
   * valid only while its entry is still PENDING at exactly that time.
   */
  private record Slot(Entry e, Instant at, long seq) {
    boolean valid() {
      return e.d.status() == WebhookDelivery.Status.PENDING && e.d.nextAttemptAt().equals(at);
    }
  }

  private final Map<String, Entry> byId = new LinkedHashMap<>();
  private final PriorityQueue<Slot> due = new PriorityQueue<>(
      Comparator.comparing(Slot::at).thenComparingLong(Slot::seq));
  /** Unfinished deliveries per ordering key, oldest first. */
  private final Map<String, ArrayDeque<Entry>> ordered = new HashMap<>();
  private long sequence;

  private void push(Entry e) {
    due.add(new Slot(e, e.d.nextAttemptAt(), ++sequence));
  }

  private static WebhookDelivery with(WebhookDelivery d, WebhookDelivery.Status status, int attempts,
      Instant next, @Nullable DeliveryAttempt attempt) {
    List<DeliveryAttempt> log = d.log();
    if (attempt != null) {
      log = new ArrayList<>(log);
      log.add(attempt);
    }
    return new WebhookDelivery(d.id(), d.subscriptionId(), d.eventId(), d.eventType(), d.sessionId(),
        d.payload(), d.orderingKey(), status, attempts, d.createdAt(), next, log);
  }

  @Override
  public synchronized void append(List<WebhookDelivery> deliveries) {
    for (WebhookDelivery d : deliveries) {
      Entry e = new Entry(with(d, WebhookDelivery.Status.PENDING, 0, d.nextAttemptAt(), null), ++sequence);
      if (byId.putIfAbsent(d.id(), e) != null) {
        continue; // appending twice is harmless
      }
      enqueue(e);
    }
  }

  /** A PENDING entry becomes claimable: in the due heap if it heads its ordering key (or has none). */
  private void enqueue(Entry e) {
    String key = e.d.orderingKey();
    if (key == null) {
      push(e);
      return;
    }
    ArrayDeque<Entry> q = ordered.computeIfAbsent(key, k -> new ArrayDeque<>());
    if (!q.contains(e)) {
      q.addLast(e);
    }
    if (q.peekFirst() == e) {
      push(e);
    }
  }

  /** A finished entry leaves its ordering key's queue; the next one becomes claimable. */
  private void finish(Entry e) {
    String key = e.d.orderingKey();
    if (key == null) {
      return;
    }
    ArrayDeque<Entry> q = ordered.get(key);
    if (q == null) {
      return;
    }
    boolean head = q.peekFirst() == e;
    q.remove(e);
    if (q.isEmpty()) {
      ordered.remove(key);
    } else if (head && q.peekFirst().d.status() == WebhookDelivery.Status.PENDING) {
      push(q.peekFirst());
    }
  }

  @Override
  public synchronized List<WebhookDelivery> claim(Instant now, int max, Duration lease) {
    List<WebhookDelivery> out = new ArrayList<>();
    while (out.size() < max && !due.isEmpty() && !due.peek().at().isAfter(now)) {
      Slot slot = due.poll();
      Entry e = slot.e();
      if (!slot.valid() || byId.get(e.d.id()) != e) {
        continue; // superseded by a later push, or pruned
      }
      e.d = with(e.d, WebhookDelivery.Status.IN_FLIGHT, e.d.attempts(), e.d.nextAttemptAt(), null);
      e.leaseUntil = now.plus(lease);
      out.add(e.d);
    }
    return out;
  }

  private @Nullable Entry inFlight(String id) {
    Entry e = byId.get(id);
    return e != null && e.d.status() == WebhookDelivery.Status.IN_FLIGHT ? e : null;
  }

  @Override
  public synchronized void release(String id, Instant at) {
    Entry e = inFlight(id);
    if (e != null) {
      e.leaseUntil = null;
      e.d = with(e.d, WebhookDelivery.Status.PENDING, e.d.attempts(), at, null);
      push(e);
    }
  }

  /** Records an attempt on an IN_FLIGHT delivery and moves it to {@code status}; null if not in flight. */
  private @Nullable Entry record(String id, WebhookDelivery.Status status, @Nullable Instant next,
      DeliveryAttempt attempt) {
    Entry e = inFlight(id);
    if (e != null) {
      e.leaseUntil = null;
      e.d = with(e.d, status, e.d.attempts() + 1, next == null ? e.d.nextAttemptAt() : next, attempt);
    }
    return e;
  }

  @Override
  public synchronized void delivered(String id, DeliveryAttempt attempt) {
    Entry e = record(id, WebhookDelivery.Status.DELIVERED, null, attempt);
    if (e != null) {
      finish(e);
    }
  }

  @Override
  public synchronized void retry(String id, DeliveryAttempt attempt, Instant nextAttemptAt) {
    Entry e = record(id, WebhookDelivery.Status.PENDING, nextAttemptAt, attempt);
    if (e != null) {
      push(e); // still the head of its ordering key
    }
  }

  @Override
  public synchronized void dead(String id, DeliveryAttempt attempt) {
    Entry e = record(id, WebhookDelivery.Status.DEAD, null, attempt);
    if (e != null) {
      finish(e);
    }
  }

  @Override
  public synchronized Optional<WebhookDelivery> get(String id) {
    Entry e = byId.get(id);
    return e == null ? Optional.empty() : Optional.of(e.d);
  }

  @Override
  public synchronized List<WebhookDelivery> list(DeliveryFilter f) {
    List<WebhookDelivery> out = new ArrayList<>();
    List<Entry> all = new ArrayList<>(byId.values());
    for (int i = all.size() - 1; i >= 0 && out.size() < f.limit(); i--) {
      WebhookDelivery d = all.get(i).d;
      if ((f.subscriptionId() == null || f.subscriptionId().equals(d.subscriptionId()))
          && (f.status() == null || f.status() == d.status())
          && (f.since() == null || !d.createdAt().isBefore(f.since()))) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public synchronized boolean replay(String id, Instant now) {
    Entry e = byId.get(id);
    if (e == null || (e.d.status() != WebhookDelivery.Status.DELIVERED
        && e.d.status() != WebhookDelivery.Status.DEAD)) {
      return false;
    }
    e.d = with(e.d, WebhookDelivery.Status.PENDING, e.d.attempts(), now, null);
    enqueue(e);
    return true;
  }

  @Override
  public synchronized int wake(String subscriptionId, Instant now) {
    int n = 0;
    for (Entry e : byId.values()) {
      if (e.d.subscriptionId().equals(subscriptionId) && e.d.status() == WebhookDelivery.Status.PENDING
          && e.d.nextAttemptAt().isAfter(now)) {
        e.d = with(e.d, WebhookDelivery.Status.PENDING, e.d.attempts(), now, null);
        String key = e.d.orderingKey();
        if (key == null || ordered.get(key).peekFirst() == e) {
          push(e); // the older slot no longer matches the due time and is skipped
        }
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized int requeueLeases(Instant leasedUntil, Instant dueAt) {
    int n = 0;
    for (Entry e : byId.values()) {
      if (e.d.status() == WebhookDelivery.Status.IN_FLIGHT && e.leaseUntil != null
          && !e.leaseUntil.isAfter(leasedUntil)) {
        e.leaseUntil = null;
        e.d = with(e.d, WebhookDelivery.Status.PENDING, e.d.attempts(), dueAt, null);
        push(e);
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized Map<WebhookDelivery.Status, Long> counts() {
    Map<WebhookDelivery.Status, Long> out = new EnumMap<>(WebhookDelivery.Status.class);
    for (WebhookDelivery.Status s : WebhookDelivery.Status.values()) {
      out.put(s, 0L);
    }
    for (Entry e : byId.values()) {
      out.merge(e.d.status(), 1L, Long::sum);
    }
    return out;
  }

  @Override
  public synchronized int pruneDelivered(Instant cutoff) {
    int before = byId.size();
    byId.values().removeIf(e -> e.d.status() == WebhookDelivery.Status.DELIVERED
        && e.d.createdAt().isBefore(cutoff));
    return before - byId.size();
  }
}
