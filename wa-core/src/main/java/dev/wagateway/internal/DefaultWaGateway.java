package dev.wagateway.internal;

import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.WaException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.Engine;
import dev.wagateway.event.EventStream;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.DeadLetterFilter;
import dev.wagateway.queue.DeadLetters;
import dev.wagateway.queue.EnqueueResult;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.queue.QueueStats;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.session.SessionState;
import dev.wagateway.session.Sessions;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.webhook.WebhookStats;
import dev.wagateway.webhook.WebhookSubscriptions;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway behind {@link WaGateway}; built by {@link dev.wagateway.WaGatewayBuilder}. */
public final class DefaultWaGateway implements WaGateway {
  private static final Logger log = LoggerFactory.getLogger(DefaultWaGateway.class);
  private static final Duration MAX_PRUNE_INTERVAL = Duration.ofMinutes(1);

  private final GatewaySettings settings;
  private final GatewayContext ctx;
  private final EventBus bus = new EventBus();
  private final QueueStore store;
  private final Capacity capacity;
  private final Dispatcher dispatcher;
  private final SessionManager sessions;
  private final DeadLetters deadLetters = new DeadLetterApi();
  private final WebhookDispatcher webhooks;
  private final Object lifecycle = new Object();
  private volatile boolean running;
  private volatile boolean closing;
  private @Nullable Cancellable pruner;
  private @Nullable Cancellable mediaRetention;
  private @Nullable Cancellable leaseSweeper;
  private @Nullable Cancellable capacitySync;
  private @Nullable Cancellable heartbeat;
  private volatile Instant lastHeartbeat = Instant.EPOCH;
  private volatile @Nullable Instant startedAt;
  private final dev.wagateway.stats.MessageStatistics statistics;
  private final AlertEvaluator alerts;

  public DefaultWaGateway(GatewaySettings settings) {
    this.settings = settings;
    this.ctx = new GatewayContext(settings.scheduler(), bus, new Ids(settings.scheduler().clock()),
        settings.sessionStore(), settings.engine(), settings.reconnect(), settings.watchdog(),
        settings.metrics(), settings.observer(),
        new GatewayMedia(settings.media(), settings.engine(), settings.scheduler(), settings.metrics()));
    this.store = settings.queueStore();
    this.capacity = new Capacity(settings.queue());
    SessionManager[] holder = new SessionManager[1];
    this.dispatcher = new Dispatcher(ctx, store, settings.queue(), settings.sendTimeout(),
        settings.maxInFlightPerSession(), capacity, id -> holder[0].session(id));
    this.sessions = new SessionManager(ctx, dispatcher, settings.maxSessions(), this::sessionDeleted,
        settings.ownership(), store);
    holder[0] = sessions;
    this.webhooks = new WebhookDispatcher(ctx, settings.webhookOutbox(), settings.webhookSubscriptions(),
        settings.webhookDeliverer(), settings.webhooks());
    // SYNC: a matching event is in the outbox before publish returns; nothing is lost to a buffer.
    bus.subscribe(webhooks::onEvent, SubscribeOptions.sync("webhook-outbox"));
    this.statistics = dev.wagateway.stats.MessageStatistics.attach(this, settings.scheduler().clock());
    this.alerts = new AlertEvaluator(ctx, this, statistics, settings.alerting());
  }

  @Override
  public dev.wagateway.stats.MessageStatistics statistics() {
    return statistics;
  }

  @Override
  public dev.wagateway.alerting.Alerts alerts() {
    return alerts;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (running) {
        return;
      }
      if (closing) {
        throw new WaException("the gateway was closed; build a new one");
      }
      // Messages a durable store kept from before: count them, and free any lease a crash left.
      QueueCounts found = store.counts().values().stream().reduce(QueueCounts.ZERO, QueueCounts::plus);
      capacity.force((int) Math.min(Integer.MAX_VALUE, found.waiting() + found.active()));
      if (settings.ownership() == null) {
        // alone on its store: every lease is from a process that died (with ownership, a session's
        // leases are freed when this instance takes the session)
        store.requeueLeases(ctx.scheduler().now().plus(Duration.ofDays(3650)), ctx.scheduler().now());
      }
      lastHeartbeat = ctx.scheduler().now();
      heartbeat = ctx.scheduler().scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1),
          () -> lastHeartbeat = ctx.scheduler().now());
      startedAt = ctx.scheduler().now();
      webhooks.start(settings.ownership() == null);
      sessions.start();
      alerts.start();
      // Prune at least twice per retention period, so a short retention bounds memory.
      Duration half = settings.messageRetention().dividedBy(2);
      Duration pruneEvery = half.compareTo(MAX_PRUNE_INTERVAL) < 0
          ? (half.toMillis() < 100 ? Duration.ofMillis(100) : half) : MAX_PRUNE_INTERVAL;
      pruner = ctx.scheduler().scheduleAtFixedRate(pruneEvery, pruneEvery, () ->
          store.pruneFinished(ctx.scheduler().now().minus(settings.messageRetention())));
      leaseSweeper = ctx.scheduler().scheduleAtFixedRate(MAX_PRUNE_INTERVAL, MAX_PRUNE_INTERVAL, () ->
          store.requeueExpiredLeases(ctx.scheduler().now()));
      if (ctx.media().store() != null) {
        mediaRetention = ctx.scheduler().scheduleAtFixedRate(Duration.ofHours(1), Duration.ofHours(1),
            ctx.media()::retention);
      }
      if (settings.ownership() != null) {
        Duration every = settings.ownership().ttl();
        capacitySync = ctx.scheduler().scheduleAtFixedRate(every, every, () -> {
          QueueCounts now = store.counts().values().stream().reduce(QueueCounts.ZERO, QueueCounts::plus);
          capacity.resync((int) Math.min(Integer.MAX_VALUE, now.waiting() + now.active()));
        });
      }
      running = true;
      log.info("gateway running on the {} engine", settings.engine().name());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public Sessions sessions() {
    return sessions;
  }

  @Override
  public EventStream events() {
    return bus;
  }

  @Override
  public OutboundMessage send(MessageRequest request) {
    Objects.requireNonNull(request, "request");
    if (closing) {
      throw new WaException("the gateway is shutting down; the message was not accepted");
    }
    ManagedSession s = sessions.session(request.sessionId());
    if (s.state() == SessionState.RESTRICTED) {
      throw new IllegalSessionStateException(s.id, SessionState.RESTRICTED, "send");
    }
    ctx.media().checkOnSend(request.content());
    Instant now = ctx.scheduler().now();
    OutboundMessage m = new OutboundMessage(ctx.ids().next("msg"), request, now);
    capacity.acquire();
    EnqueueResult result;
    try {
      result = store.enqueue(m, now, settings.queue().idempotencyWindow());
    } catch (RuntimeException e) {
      capacity.release();
      throw e;
    }
    if (result instanceof EnqueueResult.Duplicate d) {
      capacity.release();
      log.debug("idempotency key seen before: returning message {}", d.originalId());
      return store.get(d.originalId()).map(MessageInfo::message)
          .orElseGet(() -> new OutboundMessage(d.originalId(), request, now));
    }
    MessageInfo accepted = ((EnqueueResult.Accepted) result).message();
    if (log.isDebugEnabled()) { // the send path: no MDC work unless the line is written
      try (var mdc = Mdc.message(m.id()); var sm = Mdc.session(s.id)) {
        log.debug("accepted {} message {} to {}", m.content().type(), m.id(), m.to());
      }
    }
    dispatcher.onEnqueued(m, accepted.availableAt());
    return m;
  }

  @Override
  public java.util.concurrent.CompletionStage<Void> markRead(String sessionId, dev.wagateway.jid.Jid chat,
      String messageId, boolean typing) {
    Objects.requireNonNull(chat, "chat");
    dev.wagateway.ValidationException.require(messageId != null && !messageId.isBlank()
        && messageId.length() <= 256, "messageId", "the id of a received message, 1 to 256 characters");
    ManagedSession s = sessions.session(sessionId);
    var c = s.connectionIfSendable();
    if (c == null) {
      throw new IllegalSessionStateException(s.id, s.state(), "mark read");
    }
    return c.markRead(chat, messageId, typing);
  }

  @Override
  public Optional<dev.wagateway.media.MediaStore> mediaStore() {
    return Optional.ofNullable(ctx.media().store());
  }

  @Override
  public Optional<MessageInfo> message(String messageId) {
    return store.get(messageId);
  }

  /** A deleted session's waiting messages can never go out: cancel them so nothing hangs. */
  private void sessionDeleted(String sessionId) {
    dispatcher.forget(sessionId);
    int cancelled = 0;
    for (String id : store.unfinishedIds(sessionId)) {
      if (cancel(id)) {
        cancelled++;
      }
    }
    if (cancelled > 0) {
      log.info("session {} deleted: {} waiting messages cancelled", sessionId, cancelled);
    }
  }

  @Override
  public boolean cancel(String messageId) {
    if (store.cancel(messageId, ctx.scheduler().now()).isEmpty()) {
      return false;
    }
    capacity.release();
    return true;
  }

  @Override
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  @Override
  public QueueStats queueStats() {
    return dispatcher;
  }

  @Override
  public WebhookSubscriptions webhooks() {
    return webhooks;
  }

  @Override
  public WebhookStats webhookStats() {
    return webhooks;
  }

  private final class DeadLetterApi implements DeadLetters {
    @Override
    public List<MessageInfo> list(DeadLetterFilter filter) {
      return store.deadLetters(filter);
    }

    @Override
    public Optional<MessageInfo> get(String messageId) {
      return store.get(messageId).filter(i -> i.status() == dev.wagateway.message.MessageStatus.DEAD_LETTERED);
    }

    @Override
    public boolean replay(String messageId) {
      if (store.replay(messageId, ctx.scheduler().now()).isEmpty()) {
        return false;
      }
      capacity.force(1);
      store.get(messageId).ifPresent(info -> dispatcher.signal(info.message().sessionId()));
      return true;
    }

    @Override
    public int replayAll(DeadLetterFilter filter) {
      int n = 0;
      for (MessageInfo m : store.deadLetters(filter)) {
        if (replay(m.id())) {
          n++;
        }
      }
      return n;
    }

    @Override
    public int purge(DeadLetterFilter filter) {
      return store.purge(filter);
    }
  }

  @Override
  public void pingStores() {
    ping("session store", settings.sessionStore()::ping);
    ping("queue store", store::ping);
    ping("webhook outbox", settings.webhookOutbox()::ping);
  }

  private static void ping(String which, Runnable probe) {
    try {
      probe.run();
    } catch (dev.wagateway.StoreException e) {
      throw new dev.wagateway.StoreException(which + " unreachable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new dev.wagateway.StoreException(which + " unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  @Override
  public @Nullable Instant startedAt() {
    return startedAt;
  }

  @Override
  public Engine engine() {
    return settings.engine();
  }

  /** Waits (on real time) until {@code count} is zero or the deadline passes. */
  private static void awaitZero(java.util.function.IntSupplier count, long deadlineNanos) {
    while (count.getAsInt() > 0 && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      closing = true;
    }
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    awaitZero(dispatcher::inFlight, deadline);
    if (dispatcher.inFlight() > 0) {
      log.warn("shutdown timeout: {} sends still awaited an answer", dispatcher.inFlight());
    }
    while (dispatcher.unrecordedAcks() > 0) {
      dispatcher.flushAcks(); // on this thread: the scheduler may already be busy stopping
    }
    long waiting = dispatcher.total().waiting();
    if (waiting > 0 && store instanceof dev.wagateway.queue.InMemoryQueueStore) {
      log.warn("{} accepted messages were still waiting and are lost: the in-memory queue store"
          + " does not survive a restart", waiting);
    }
    if (pruner != null) {
      pruner.cancel();
    }
    if (mediaRetention != null) {
      mediaRetention.cancel();
    }
    ctx.media().close();
    if (capacitySync != null) {
      capacitySync.cancel();
    }
    if (leaseSweeper != null) {
      leaseSweeper.cancel();
    }
    if (heartbeat != null) {
      heartbeat.cancel();
    }
    alerts.stop();
    sessions.stopAll();
    awaitZero(webhooks::inFlight, deadline);
    webhooks.stop();
    running = false;
    bus.close();
    try {
      settings.engine().close();
    } catch (RuntimeException e) {
      log.warn("closing the engine failed", e);
    }
    if (settings.ownsScheduler()) {
      settings.scheduler().close();
    }
    log.info("gateway closed");
  }
}
