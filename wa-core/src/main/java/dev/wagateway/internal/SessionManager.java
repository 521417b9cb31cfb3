package dev.wagateway.internal;

import dev.wagateway.SessionAlreadyExistsException;
import dev.wagateway.SessionLimitExceededException;
import dev.wagateway.SessionNotFoundException;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.session.SessionId;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.session.Sessions;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registry of sessions, and the watchdog that sweeps them. */
final class SessionManager implements Sessions {
  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  private final GatewayContext ctx;
  private final ManagedSession.Hooks hooks;
  private final int maxSessions;
  private final ConcurrentMap<String, ManagedSession> sessions = new ConcurrentHashMap<>();
  private final Object createLock = new Object();
  private final java.util.function.Consumer<String> onDeleted;
  private volatile boolean running;
  private @Nullable Cancellable watchdog;

  SessionManager(GatewayContext ctx, ManagedSession.Hooks hooks, int maxSessions,
      java.util.function.Consumer<String> onDeleted, dev.wagateway.session.@Nullable Ownership ownership,
      dev.wagateway.queue.QueueStore queue) {
    this.ctx = ctx;
    this.hooks = hooks;
    this.maxSessions = maxSessions;
    this.onDeleted = onDeleted;
    this.ownership = ownership;
    this.queue = queue;
  }

  // ---- ownership (several instances on one store) ----

  private final dev.wagateway.session.@Nullable Ownership ownership;
  private final dev.wagateway.queue.QueueStore queue;
  /** Leases this instance holds, by session id. */
  private final ConcurrentMap<String, dev.wagateway.store.LeaseStore.Lease> held = new ConcurrentHashMap<>();
  private @Nullable Cancellable ownershipTick;

  /** True when this instance may run {@code id}: it holds the lease, or runs alone. */
  boolean owns(String id) {
    return ownership == null || held.containsKey(id);
  }

  /** Takes or renews the lease of {@code id}; false when another instance holds it. */
  private boolean acquire(String id, Instant now) {
    var lease = ownership.leases().acquire(id, ownership.instanceId(), now, ownership.ttl());
    if (lease.isPresent()) {
      var before = held.put(id, lease.get());
      if (before == null || before.token() != lease.get().token()) {
        // new to this instance: claims the previous owner left are free now (it is fenced)
        int freed = queue.requeueSessionLeases(id, now);
        log.info("session {} is owned by this instance ({}), lease token {}{}", id, ownership.instanceId(),
            lease.get().token(), freed > 0 ? ", " + freed + " claimed messages of the previous owner requeued" : "");
      }
      return true;
    }
    held.remove(id);
    return false;
  }

  /**
   * Every third of the lease's life: renew what this instance holds (stopping what it lost), learn
   * the sessions other instances created, and take over auto-start sessions whose lease expired.
   */
  void ownershipTick() {
    Instant now = ctx.scheduler().now();
    java.util.Set<String> stored = new java.util.HashSet<>();
    for (SessionRecord r : ctx.store().loadAll()) {
      stored.add(r.id());
      sessions.computeIfAbsent(r.id(), id -> new ManagedSession(r, ctx, hooks));
    }
    for (ManagedSession s : sessions.values()) {
      try {
        if (!stored.contains(s.id) && !held.containsKey(s.id)) {
          sessions.remove(s.id, s); // deleted by another instance
          continue;
        }
        if (held.containsKey(s.id)) {
          if (!acquire(s.id, now)) {
            log.warn("session {} lost its lease to another instance; stopping it here", s.id);
            s.stop("lease lost to another instance");
          } else if (s.state() == SessionState.CONNECTED) {
            hooks.onSendable(s); // messages other instances accepted for it wait in the shared queue
          }
        } else if (running && s.options().autoStart() && s.state().canStart() && acquire(s.id, now)) {
          startQuietly(s);
        }
      } catch (RuntimeException e) {
        log.warn("lease check of session {} failed: {}", s.id, e.toString());
      }
    }
  }

  /** Loads stored sessions, starts the auto-start ones and the watchdog. */
  void start() {
    for (SessionRecord r : ctx.store().loadAll()) {
      sessions.computeIfAbsent(r.id(), id -> new ManagedSession(r, ctx, hooks));
    }
    running = true;
    if (ownership != null) {
      Duration every = ownership.ttl().dividedBy(3);
      ownershipTick = ctx.scheduler().scheduleAtFixedRate(every, every, this::ownershipTick);
    }
    if (ctx.watchdog().enabled()) {
      watchdog = ctx.scheduler().scheduleAtFixedRate(ctx.watchdog().checkInterval(),
          ctx.watchdog().checkInterval(), this::sweep);
    }
    Instant now = ctx.scheduler().now();
    for (ManagedSession s : sessions.values()) {
      if (s.options().autoStart() && s.state().canStart() && (ownership == null || acquireQuietly(s.id, now))) {
        startQuietly(s);
      }
    }
    log.info("gateway started with {} sessions", sessions.size());
  }

  private boolean acquireQuietly(String id, Instant now) {
    try {
      return acquire(id, now);
    } catch (RuntimeException e) {
      log.warn("taking the lease of session {} failed: {}", id, e.toString());
      return false;
    }
  }

  private void startQuietly(ManagedSession s) {
    try {
      s.start();
    } catch (RuntimeException e) {
      log.error("session {} could not start", s.id, e);
    }
  }

  void sweep() {
    Instant now = ctx.scheduler().now();
    for (ManagedSession s : sessions.values()) {
      try {
        s.checkLiveness(now, ctx.watchdog());
      } catch (RuntimeException e) {
        log.error("watchdog check of session {} failed", s.id, e);
      }
    }
  }

  /** Stops every session (credentials are kept) and the watchdog. */
  void stopAll() {
    running = false;
    if (ownershipTick != null) {
      ownershipTick.cancel();
    }
    if (watchdog != null) {
      watchdog.cancel();
    }
    for (ManagedSession s : sessions.values()) {
      if (s.state() != SessionState.STOPPED && s.state() != SessionState.CREATED) {
        try {
          s.stop("gateway shutting down");
        } catch (RuntimeException e) {
          log.warn("stopping session {} failed", s.id, e);
        }
      }
    }
    if (ownership != null) {
      // a graceful stop hands the sessions on at once instead of after the lease time
      held.forEach((id, lease) -> {
        try {
          ownership.leases().release(id, ownership.instanceId(), lease.token());
        } catch (RuntimeException e) {
          log.warn("releasing the lease of session {} failed: {}", id, e.toString());
        }
      });
      held.clear();
    }
  }

  ManagedSession session(String id) {
    ManagedSession s = sessions.get(Objects.requireNonNull(id, "id"));
    if (s == null) {
      throw new SessionNotFoundException(id);
    }
    return s;
  }

  @Override
  public SessionInfo create(String id, SessionOptions options) {
    SessionId.validate("sessionId", id);
    Objects.requireNonNull(options, "options");
    ManagedSession s;
    synchronized (createLock) {
      if (sessions.containsKey(id)) {
        throw new SessionAlreadyExistsException(id);
      }
      if (sessions.size() >= maxSessions) {
        throw new SessionLimitExceededException(maxSessions);
      }
      Instant now = ctx.scheduler().now();
      if (ownership != null && !acquire(id, now)) {
        throw new SessionAlreadyExistsException(id); // another instance runs it
      }
      SessionRecord record = SessionRecord.create(id, options, now);
      ctx.store().save(record);
      s = new ManagedSession(record, ctx, hooks);
      sessions.put(id, s);
      ctx.bus().publish(new GatewayEvent.SessionCreated(ctx.ids().next("evt"), now, id));
    }
    log.info("session {} created (pairing by {})", id, options.pairing());
    if (running && options.autoStart()) {
      return s.start();
    }
    return s.info();
  }

  @Override
  public byte[] exportBundle(List<String> ids, char[] passphrase) {
    List<String> which = ids.isEmpty() ? List.copyOf(sessions.keySet()) : ids;
    List<SessionRecord> records = new java.util.ArrayList<>(which.size());
    for (String id : which) {
      session(id); // SessionNotFoundException for an unknown one
      ctx.store().load(id).ifPresent(records::add);
    }
    byte[] bundle = dev.wagateway.store.SessionBundle.seal(records, passphrase);
    log.info("exported {} sessions as an encrypted bundle", records.size());
    return bundle;
  }

  @Override
  public List<SessionInfo> importBundle(byte[] bundle, char[] passphrase) {
    List<SessionRecord> records = dev.wagateway.store.SessionBundle.open(bundle, passphrase);
    List<ManagedSession> added = new java.util.ArrayList<>(records.size());
    synchronized (createLock) {
      for (SessionRecord r : records) {
        if (sessions.containsKey(r.id())) {
          throw new SessionAlreadyExistsException(r.id());
        }
      }
      if (sessions.size() + records.size() > maxSessions) {
        throw new SessionLimitExceededException(maxSessions);
      }
      Instant now = ctx.scheduler().now();
      for (SessionRecord r : records) {
        ctx.store().save(r);
        ManagedSession s = new ManagedSession(r, ctx, hooks);
        sessions.put(r.id(), s);
        added.add(s);
        ctx.bus().publish(new GatewayEvent.SessionCreated(ctx.ids().next("evt"), now, r.id()));
      }
    }
    log.info("imported {} sessions from an encrypted bundle", added.size());
    List<SessionInfo> out = new java.util.ArrayList<>(added.size());
    for (ManagedSession s : added) {
      if (running && s.options().autoStart()) {
        startQuietly(s);
      }
      out.add(s.info());
    }
    return out;
  }

  @Override
  public SessionInfo start(String id) {
    return session(id).start();
  }

  @Override
  public SessionInfo stop(String id) {
    return session(id).stop("stopped by request");
  }

  @Override
  public SessionInfo logout(String id) {
    return session(id).logout();
  }

  @Override
  public boolean delete(String id) {
    ManagedSession s = sessions.get(id);
    if (s == null) {
      return false;
    }
    s.stop("deleted");
    sessions.remove(id, s);
    onDeleted.accept(id);
    ctx.store().delete(id);
    var lease = held.remove(id);
    if (lease != null) {
      ownership.leases().release(id, ownership.instanceId(), lease.token());
    }
    ctx.bus().publish(new GatewayEvent.SessionDeleted(ctx.ids().next("evt"), ctx.scheduler().now(), id));
    log.info("session {} deleted", id);
    return true;
  }

  @Override
  public Optional<SessionInfo> get(String id) {
    ManagedSession s = sessions.get(id);
    return s == null ? Optional.empty() : Optional.of(s.info());
  }

  @Override
  public SessionInfo require(String id) {
    return session(id).info();
  }

  @Override
  public List<SessionInfo> list() {
    return sessions.values().stream().map(ManagedSession::info)
        .sorted(Comparator.comparing(SessionInfo::id)).toList();
  }

  int count() {
    return sessions.size();
  }
}
