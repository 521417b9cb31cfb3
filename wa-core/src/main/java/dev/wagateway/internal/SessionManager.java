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
      java.util.function.Consumer<String> onDeleted) {
    this.ctx = ctx;
    this.hooks = hooks;
    this.maxSessions = maxSessions;
    this.onDeleted = onDeleted;
  }

  /** Loads stored sessions, starts the auto-start ones and the watchdog. */
  void start() {
    for (SessionRecord r : ctx.store().loadAll()) {
      sessions.computeIfAbsent(r.id(), id -> new ManagedSession(r, ctx, hooks));
    }
    running = true;
    if (ctx.watchdog().enabled()) {
      watchdog = ctx.scheduler().scheduleAtFixedRate(ctx.watchdog().checkInterval(),
          ctx.watchdog().checkInterval(), this::sweep);
    }
    for (ManagedSession s : sessions.values()) {
      if (s.options().autoStart() && s.state().canStart()) {
        startQuietly(s);
      }
    }
    log.info("gateway started with {} sessions", sessions.size());
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
