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
