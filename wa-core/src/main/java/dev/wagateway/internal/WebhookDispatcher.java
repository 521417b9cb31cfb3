package dev.wagateway.internal;

import dev.wagateway.ValidationException;
import dev.wagateway.WaException;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.observe.OperationObserver.Operation;
import dev.wagateway.time.TaskScheduler.Cancellable;
import dev.wagateway.webhook.DeliveryAttempt;
import dev.wagateway.webhook.DeliveryFilter;
import dev.wagateway.webhook.DeliveryOutcome;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookPayloads;
import dev.wagateway.webhook.WebhookRequest;
import dev.wagateway.webhook.WebhookStats;
import dev.wagateway.webhook.WebhookSubscription;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import dev.wagateway.webhook.WebhookSubscriptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook delivery: a SYNC listener on the event stream appends a delivery for every matching
 * subscription to the outbox; a drain loop claims due deliveries and hands them to the deliverer,
 * at most {@code maxConcurrency} per endpoint, and follows the retry schedule. Endpoints that keep
 * failing are disabled with an event.
 */
final class WebhookDispatcher implements WebhookSubscriptions, WebhookStats {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int CLAIM_BATCH = 256;
  private static final int EXCERPT_LIMIT = 512;
  /** Held deliveries of a disabled endpoint wait this long, or until it is enabled again. */
  private static final Duration HOLD = Duration.ofDays(365);

  private final GatewayContext ctx;
  private final WebhookOutbox outbox;
  private final WebhookSubscriptionStore subscriptions;
  private final WebhookDeliverer deliverer;
  private final WebhookConfig config;
  private final Duration lease;
  /** Every subscription, enabled or not: a disabled one is paused, its deliveries held, not lost. */
  private volatile List<WebhookSubscription> all = List.of();
  private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final AtomicInteger signals = new AtomicInteger();
  private final ConcurrentHashMap<String, EnumMap<DeliveryOutcome, LongAdder>> attempts = new ConcurrentHashMap<>();
  private final AtomicLong latencyEwmaNanos = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean running;
  private @Nullable Cancellable tick;
  private @Nullable Cancellable wake;
  private @Nullable Instant wakeAt;

  /** Health of one endpoint (subscription). */
  private static final class Endpoint {
    final AtomicInteger inFlight = new AtomicInteger();
    int consecutiveFailures;
    @Nullable Instant failingSince;

    synchronized void healthy() {
      consecutiveFailures = 0;
      failingSince = null;
    }
  }

  WebhookDispatcher(GatewayContext ctx, WebhookOutbox outbox, WebhookSubscriptionStore subscriptions,
      WebhookDeliverer deliverer, WebhookConfig config) {
    this.ctx = ctx;
    this.outbox = outbox;
    this.subscriptions = subscriptions;
    this.deliverer = deliverer;
    this.config = config;
    this.lease = config.attemptTimeout().plus(Duration.ofMinutes(1));
    refresh();
  }

  private void refresh() {
    all = subscriptions.list();
  }

  private Endpoint endpoint(String subscriptionId) {
    return endpoints.computeIfAbsent(subscriptionId, id -> new Endpoint());
  }

  // ---- the outbox append, on the publishing thread ----

  /**
   * SYNC listener: every matching subscription gets a delivery before this returns, including a
   * disabled one, whose deliveries wait until it is enabled (or deleted).
   */
  void onEvent(GatewayEvent e) {
    List<WebhookSubscription> subs = all;
    if (subs.isEmpty()) {
      return;
    }
    byte[] payload = null;
    List<WebhookDelivery> out = null;
    Instant now = ctx.scheduler().now();
    for (WebhookSubscription s : subs) {
      if (!s.matches(e.type(), e.sessionId())) {
        continue;
      }
      if (payload == null) {
        payload = WebhookPayloads.toJson(e, ctx.media().links());
        out = new ArrayList<>(subs.size());
      }
      out.add(new WebhookDelivery(ctx.ids().next("whd"), s.id(), e.id(), e.type(), e.sessionId(),
          payload, s.ordered() ? s.id() + "|" + e.sessionId() : null, WebhookDelivery.Status.PENDING,
          0, now, now.plus(config.schedule().get(0)), List.of()));
    }
    if (out != null) {
      outbox.append(out);
      if (running) {
        signal();
      }
    }
  }

  // ---- lifecycle ----

  /** @param alone no other instance shares the outbox: every lease found is a dead process's */
  void start(boolean alone) {
    running = true;
    if (alone) {
      outbox.requeueLeases(ctx.scheduler().now().plus(Duration.ofDays(3650)), ctx.scheduler().now());
    }
    if (!all.isEmpty() && deliverer == WebhookDeliverer.none()) {
      log.warn("{} webhook subscriptions but no WebhookDeliverer: deliveries will fail; add wa-webhooks",
          all.size());
    }
    tick = ctx.scheduler().scheduleAtFixedRate(Duration.ofSeconds(5), Duration.ofSeconds(5), () -> {
      Instant now = ctx.scheduler().now();
      outbox.requeueExpiredLeases(now);
      outbox.pruneDelivered(now.minus(config.retention()));
      signal();
    });
    signal();
  }

  void stop() {
    running = false;
    if (tick != null) {
      tick.cancel();
    }
    synchronized (this) {
      if (wake != null) {
        wake.cancel();
      }
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  // ---- the drain ----

  private void signal() {
    if (running && signals.getAndIncrement() == 0) {
      ctx.scheduler().execute(this::run);
    }
  }

  private void run() {
    int seen;
    do {
      seen = signals.get();
      try {
        drain();
      } catch (RuntimeException e) {
        log.error("webhook dispatch failed; retrying in 1 s", e);
        wakeAt(ctx.scheduler().now().plusSeconds(1));
      }
    } while (!signals.compareAndSet(seen, 0));
  }

  private void wakeAt(Instant at) {
    synchronized (this) {
      if (!running || (wakeAt != null && !at.isBefore(wakeAt))) {
        return;
      }
      if (wake != null) {
        wake.cancel();
      }
      wakeAt = at;
      wake = ctx.scheduler().schedule(Duration.between(ctx.scheduler().now(), at), () -> {
        synchronized (this) {
          wake = null;
          wakeAt = null;
        }
        signal();
      });
    }
  }

  /** Free delivery slots over all enabled endpoints: claiming more would only be released again. */
  private int room() {
    int room = 0;
    for (WebhookSubscription s : all) {
      if (s.enabled()) {
        room += Math.max(0, s.maxConcurrency() - endpoint(s.id()).inFlight.get());
      }
    }
    return room;
  }

  private void drain() {
    Set<String> busy = new HashSet<>();
    while (running) {
      Instant now = ctx.scheduler().now();
      // Deliveries of deleted or disabled subscriptions also need claiming (to die or be held):
      // always claim at least a few.
      int want = Math.max(8, Math.min(CLAIM_BATCH, room()));
      List<WebhookDelivery> batch = outbox.claim(now, want, lease);
      int started = 0;
      for (WebhookDelivery d : batch) {
        WebhookSubscription sub = subscriptions.get(d.subscriptionId()).orElse(null);
        if (sub == null) {
          outbox.dead(d.id(), new DeliveryAttempt(now, 0, Duration.ZERO, DeliveryOutcome.PERMANENT,
              "the subscription was deleted", ""));
          continue;
        }
        if (!sub.enabled()) {
          outbox.release(d.id(), now.plus(HOLD)); // held until enabled again
          continue;
        }
        Endpoint ep = endpoint(sub.id());
        if (busy.contains(sub.id()) || ep.inFlight.get() >= sub.maxConcurrency()) {
          busy.add(sub.id());
          outbox.release(d.id(), now); // a completion signals the next pass
          continue;
        }
        attempt(sub, ep, d, now);
        started++;
      }
      if (batch.size() < want || started == 0) {
        return;
      }
    }
  }

  private void attempt(WebhookSubscription sub, Endpoint ep, WebhookDelivery d, Instant now) {
    ep.inFlight.incrementAndGet();
    inFlight.incrementAndGet();
    WebhookRequest request = new WebhookRequest(sub.url(), d.eventId(), now, d.payload(), sub.headers(),
        sub.secrets(), sub.signatureMode());
    long start = System.nanoTime();
    Operation op = ctx.observer().webhookStarted(sub.id(), d.sessionId(), d.eventId(), d.eventType(),
        d.attempts() + 1);
    AtomicBoolean done = new AtomicBoolean();
    Cancellable timeout = ctx.scheduler().schedule(config.attemptTimeout(), () -> {
      if (done.compareAndSet(false, true)) {
        finish(sub, ep, d, now, DeliveryResult.error("no answer within " + config.attemptTimeout(),
            config.attemptTimeout()), op);
      }
    });
    CompletableFuture<DeliveryResult> f;
    try {
      f = deliverer.deliver(request).toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.completedFuture(DeliveryResult.error(
          "the deliverer failed: " + e.getClass().getSimpleName(), Duration.ZERO));
    }
    f.whenComplete((result, error) -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      timeout.cancel();
      DeliveryResult r = error != null
          ? DeliveryResult.error("the deliverer failed: " + error.getClass().getSimpleName(),
              Duration.ofNanos(System.nanoTime() - start))
          : result;
      finish(sub, ep, d, now, r, op);
    });
  }

  private void finish(WebhookSubscription sub, Endpoint ep, WebhookDelivery d, Instant startedAt,
      DeliveryResult r, Operation op) {
    try {
      Instant now = ctx.scheduler().now();
      DeliveryOutcome outcome = r.outcome();
      op.end(outcome.tag(), r.statusCode(), r.error());
      String excerpt = r.responseExcerpt().length() > EXCERPT_LIMIT
          ? r.responseExcerpt().substring(0, EXCERPT_LIMIT) : r.responseExcerpt();
      DeliveryAttempt attempt = new DeliveryAttempt(startedAt, r.statusCode(), r.latency(), outcome,
          r.error(), excerpt);
      attempts.computeIfAbsent(d.eventType(), t -> newCounters()).get(outcome).increment();
      long lat = r.latency().toNanos();
      latencyEwmaNanos.getAndUpdate(p -> p == 0 ? lat : p + (lat - p) / 16);
      ctx.metrics().webhookAttempt(d.eventType(), outcome, lat);
      if (outcome == DeliveryOutcome.SUCCESS) {
        outbox.delivered(d.id(), attempt);
        ep.healthy();
        return;
      }
      int next = d.attempts() + 1;
      if (outcome == DeliveryOutcome.RETRY && next < config.schedule().size()) {
        Instant at = now.plus(config.schedule().get(next));
        if (r.retryAfter() != null && at.isBefore(now.plus(r.retryAfter()))) {
          at = now.plus(r.retryAfter());
        }
        outbox.retry(d.id(), attempt, at);
        wakeAt(at);
      } else {
        outbox.dead(d.id(), attempt);
        log.warn("webhook delivery {} of {} to subscription {} is dead after {} attempts: {}", d.id(),
            d.eventType(), sub.id(), next, r.error() != null ? r.error() : "HTTP " + r.statusCode());
      }
      endpointFailed(sub, ep, now);
    } finally {
      ep.inFlight.decrementAndGet();
      inFlight.decrementAndGet();
      signal();
    }
  }

  private static EnumMap<DeliveryOutcome, LongAdder> newCounters() {
    EnumMap<DeliveryOutcome, LongAdder> m = new EnumMap<>(DeliveryOutcome.class);
    for (DeliveryOutcome o : DeliveryOutcome.values()) {
      m.put(o, new LongAdder());
    }
    return m;
  }

  private void endpointFailed(WebhookSubscription sub, Endpoint ep, Instant now) {
    String reason = null;
    synchronized (ep) {
      ep.consecutiveFailures++;
      if (ep.failingSince == null) {
        ep.failingSince = now;
      }
      int threshold = config.disableAfterConsecutiveFailures();
      if (threshold > 0 && ep.consecutiveFailures >= threshold) {
        reason = ep.consecutiveFailures + " failed attempts in a row";
      } else if (Duration.between(ep.failingSince, now).compareTo(config.disableAfter()) >= 0) {
        reason = "failing without a success since " + ep.failingSince;
      }
    }
    if (reason != null) {
      autoDisable(sub.id(), reason);
    }
  }

  private void autoDisable(String id, String reason) {
    WebhookSubscription current = subscriptions.get(id).orElse(null);
    if (current == null || !current.enabled()) {
      return;
    }
    subscriptions.save(current.withEnabled(false, reason));
    refresh();
    log.warn("webhook subscription {} disabled: {}", id, reason);
    ctx.bus().publish(new GatewayEvent.WebhookEndpointDisabled(ctx.ids().next("evt"),
        ctx.scheduler().now(), current.sessionId() == null ? "" : current.sessionId(), id, reason));
  }

  // ---- the subscriptions API ----

  private WebhookSubscription require(String id) {
    return subscriptions.get(id).orElseThrow(() ->
        new WaException("no webhook subscription '" + id + "'"));
  }

  @Override
  public WebhookSubscription create(SubscriptionRequest r) {
    WebhookSubscription s = new WebhookSubscription(ctx.ids().next("whs"), r.url(), r.sessionId(),
        r.eventTypes(), r.secrets(), r.headers(), true, r.signatureMode(), r.ordered(),
        r.maxConcurrency(), ctx.scheduler().now(), null);
    subscriptions.save(s);
    refresh();
    log.info("webhook subscription {} created: {}", s.id(), s);
    return s;
  }

  @Override
  public WebhookSubscription update(String id, SubscriptionRequest r) {
    WebhookSubscription old = require(id);
    WebhookSubscription s = new WebhookSubscription(id, r.url(), r.sessionId(), r.eventTypes(),
        r.secrets(), r.headers(), old.enabled(), r.signatureMode(), r.ordered(), r.maxConcurrency(),
        old.createdAt(), old.disabledReason());
    subscriptions.save(s);
    refresh();
    return s;
  }

  @Override
  public boolean delete(String id) {
    boolean gone = subscriptions.delete(id);
    endpoints.remove(id);
    refresh();
    sendHeldNow(id); // they find no subscription and die with that reason, instead of waiting forever
    return gone;
  }

  @Override
  public Optional<WebhookSubscription> get(String id) {
    return subscriptions.get(id);
  }

  @Override
  public List<WebhookSubscription> list() {
    return subscriptions.list();
  }

  @Override
  public WebhookSubscription enable(String id) {
    WebhookSubscription s = require(id).withEnabled(true, null);
    subscriptions.save(s);
    endpoint(id).healthy();
    refresh();
    sendHeldNow(id);
    return s;
  }

  /** Makes a subscription's waiting deliveries due now and starts a drain. */
  private void sendHeldNow(String subscriptionId) {
    outbox.wake(subscriptionId, ctx.scheduler().now());
    signal();
  }

  @Override
  public WebhookSubscription disable(String id) {
    WebhookSubscription s = require(id).withEnabled(false, "disabled by request");
    subscriptions.save(s);
    refresh();
    return s;
  }

  @Override
  public List<WebhookDelivery> deliveries(DeliveryFilter filter) {
    return outbox.list(filter);
  }

  @Override
  public Optional<WebhookDelivery> delivery(String deliveryId) {
    return outbox.get(deliveryId);
  }

  @Override
  public boolean redeliver(String deliveryId) {
    boolean ok = outbox.replay(deliveryId, ctx.scheduler().now());
    signal();
    return ok;
  }

  @Override
  public int redeliverFailed(String subscriptionId, Instant since) {
    ValidationException.require(since != null, "since", "a start time is required");
    int n = 0;
    for (WebhookDelivery d : outbox.list(DeliveryFilter.of(subscriptionId)
        .status(WebhookDelivery.Status.DEAD).since(since).limit(Integer.MAX_VALUE))) {
      if (outbox.replay(d.id(), ctx.scheduler().now())) {
        n++;
      }
    }
    signal();
    return n;
  }

  // ---- stats ----

  @Override
  public Map<String, Map<DeliveryOutcome, Long>> attemptsByEventType() {
    Map<String, Map<DeliveryOutcome, Long>> out = new TreeMap<>();
    attempts.forEach((type, m) -> {
      Map<DeliveryOutcome, Long> c = new EnumMap<>(DeliveryOutcome.class);
      m.forEach((o, v) -> c.put(o, v.sum()));
      out.put(type, c);
    });
    return out;
  }

  @Override
  public Map<WebhookDelivery.Status, Long> deliveries() {
    return outbox.counts();
  }

  @Override
  public int disabledEndpoints() {
    return (int) subscriptions.list().stream().filter(s -> !s.enabled()).count();
  }

  @Override
  public Duration recentLatency() {
    return Duration.ofNanos(latencyEwmaNanos.get());
  }
}
