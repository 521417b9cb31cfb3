package dev.wagateway.internal;

import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.StoreException;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.Inbound;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.session.ReconnectPolicy;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.session.WatchdogPolicy;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.time.TaskScheduler.Cancellable;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session: its state machine, its engine connection, reconnect backoff and loop detection, and
 * the watchdog's view of it. State changes happen under {@link #lock} and publish their event
 * before the lock is released, so a session's events are in order. Engine callbacks carry the
 * generation of the connection they came from; those of a closed connection are ignored.
 */
final class ManagedSession {
  private static final Logger log = LoggerFactory.getLogger(ManagedSession.class);

  /** What the gateway does when a session can send again or a receipt arrives. */
  interface Hooks {
    void onSendable(ManagedSession session);

    void onReceipt(ManagedSession session, String providerMessageId, MessageStatus status, Instant at,
        @Nullable Failure failure);
  }

  final String id;
  private final GatewayContext ctx;
  private final Hooks hooks;
  private final Instant createdAt;
  private final SessionOptions options;
  private final IntervalFunction backoff;
  private final ReentrantLock lock = new ReentrantLock();

  private volatile SessionState state = SessionState.CREATED;
  private Instant stateSince;
  private String reason = "created";
  private volatile @Nullable EngineConnection connection;
  private volatile long generation;
  private volatile @Nullable Jid self;
  private volatile @Nullable Instant lastActivity;
  private volatile @Nullable Instant pairedAt;
  private @Nullable Instant degradedSince;
  private @Nullable Instant disconnectedSince;
  private int attempt;
  private final ArrayDeque<Instant> recentReconnects = new ArrayDeque<>();
  private @Nullable Cancellable reconnectTimer;
  private @Nullable Cancellable stableTimer;

  ManagedSession(SessionRecord record, GatewayContext ctx, Hooks hooks) {
    this.id = record.id();
    this.ctx = ctx;
    this.hooks = hooks;
    this.createdAt = record.createdAt();
    this.options = record.options();
    this.self = record.self();
    this.pairedAt = record.pairedAt();
    this.backoff = ctx.reconnect().intervalFunction();
    this.stateSince = ctx.scheduler().now();
  }

  SessionState state() {
    return state;
  }

  /** When the session was paired with its current credentials, if it is. */
  @Nullable Instant pairedAt() {
    return pairedAt;
  }

  SessionOptions options() {
    return options;
  }

  @Nullable EngineConnection connectionIfSendable() {
    return state.canSend() ? connection : null;
  }

  SessionInfo info() {
    lock.lock();
    try {
      return new SessionInfo(id, state, self, createdAt, stateSince, reason, lastActivity, attempt,
          options.pairing(), disconnectedSince);
    } finally {
      lock.unlock();
    }
  }

  // ---- operations ----

  SessionInfo start() {
    try (var m = Mdc.session(id)) {
      lock.lock();
      try {
        if (state.isActive()) {
          return info();
        }
        if (!state.canStart()) {
          throw new IllegalSessionStateException(id, state, SessionState.STARTING);
        }
        attempt = 0;
        recentReconnects.clear();
        transition(SessionState.STARTING, "start requested");
        openConnection();
        return info();
      } finally {
        lock.unlock();
      }
    }
  }

  SessionInfo stop(String why) {
    try (var m = Mdc.session(id)) {
      lock.lock();
      try {
        if (state == SessionState.STOPPED) {
          return info();
        }
        closeConnection();
        transition(SessionState.STOPPED, why);
        return info();
      } finally {
        lock.unlock();
      }
    }
  }

  SessionInfo logout() {
    try (var m = Mdc.session(id)) {
      lock.lock();
      try {
        EngineConnection c = connection;
        cancelTimers();
        generation++;
        connection = null;
        if (c != null) {
          try {
            c.logout();
          } catch (RuntimeException e) {
            log.warn("engine logout of session {} failed; credentials are wiped anyway", id, e);
          }
        }
        wipeCredentials();
        if (state != SessionState.LOGGED_OUT && state != SessionState.CREATED) {
          transitionOrFail(SessionState.LOGGED_OUT, "logged out by request");
        }
        return info();
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- internals; callers hold the lock ----

  private void openConnection() {
    SessionRecord record;
    try {
      record = ctx.store().load(id).orElseThrow(() ->
          new StoreException("session '" + id + "' is missing from the session store"));
    } catch (StoreException e) {
      log.error("session {} cannot start: {}", id, e.getMessage());
      transition(SessionState.FAILED, "session store: " + e.getMessage());
      return;
    }
    byte[] credentials = record.credentials();
    transition(credentials == null ? SessionState.PAIRING : SessionState.CONNECTING,
        credentials == null ? "not linked: pairing by " + options.pairing()
            : "connecting with stored credentials");
    long gen = ++generation;
    try {
      EngineConnection c = ctx.engine().open(
          new EngineSession(id, record.self(), credentials, options.pairing()), new Callbacks(gen));
      connection = c;
      c.connect();
    } catch (RuntimeException e) {
      log.warn("engine failed to open a connection for session {}", id, e);
      connection = null;
      generation++;
      scheduleReconnect("engine error: " + e.getClass().getSimpleName(), "engine_error");
    }
  }

  private void closeConnection() {
    cancelTimers();
    EngineConnection c = connection;
    generation++;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.warn("closing the connection of session {} failed", id, e);
      }
    }
  }

  private void cancelTimers() {
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
    }
    if (stableTimer != null) {
      stableTimer.cancel();
      stableTimer = null;
    }
  }

  private void wipeCredentials() {
    try {
      ctx.store().load(id).ifPresent(r ->
          ctx.store().save(r.withoutCredentials(ctx.scheduler().now())));
    } catch (StoreException e) {
      log.error("wiping the credentials of session {} failed: {}", id, e.getMessage());
    }
    self = null;
    pairedAt = null;
  }

  private void transition(SessionState to, String why) {
    SessionState from = state;
    if (!from.canTransitionTo(to)) {
      throw new IllegalSessionStateException(id, from, to);
    }
    Instant now = ctx.scheduler().now();
    state = to;
    stateSince = now;
    reason = why;
    if (to == SessionState.CONNECTED || to == SessionState.DEGRADED) {
      disconnectedSince = null;
    } else if (disconnectedSince == null) {
      disconnectedSince = now;
    }
    if (to == SessionState.CONNECTED || from == SessionState.CONNECTED) {
      log.info("session {}: {} -> {} ({})", id, from, to, why);
    } else {
      log.debug("session {}: {} -> {} ({})", id, from, to, why);
    }
    ctx.bus().publish(new GatewayEvent.SessionStateChanged(ctx.ids().next("evt"), now, id, from, to, why));
    if (to.canSend()) {
      hooks.onSendable(this);
    }
  }

  /** For outcomes the engine decides: a transition the table refuses ends in FAILED instead. */
  private void transitionOrFail(SessionState to, String why) {
    if (state.canTransitionTo(to)) {
      transition(to, why);
    } else if (state != SessionState.FAILED) {
      transition(SessionState.FAILED, why + " (while " + state + ")");
    }
  }

  /** @param code a bounded reason for metrics: the engine's disconnect code, "silent", ... */
  private void scheduleReconnect(String cause, String code) {
    ReconnectPolicy p = ctx.reconnect();
    Instant now = ctx.scheduler().now();
    while (!recentReconnects.isEmpty()
        && Duration.between(recentReconnects.peekFirst(), now).compareTo(p.loopWindow()) > 0) {
      recentReconnects.pollFirst();
    }
    if (recentReconnects.size() >= p.loopThreshold()) {
      String why = "reconnect loop: " + recentReconnects.size() + " reconnects within "
          + p.loopWindow() + " (last cause: " + cause + ")";
      log.warn("session {} gives up: {}", id, why);
      transitionOrFail(SessionState.FAILED, why);
      return;
    }
    recentReconnects.addLast(now);
    attempt++;
    Duration delay = Duration.ofMillis(backoff.apply(attempt));
    transitionOrFail(SessionState.RECONNECTING, cause);
    if (state != SessionState.RECONNECTING) {
      return;
    }
    ctx.bus().publish(new GatewayEvent.ReconnectScheduled(ctx.ids().next("evt"), now, id, attempt,
        delay, cause));
    ctx.metrics().reconnectScheduled(id, code);
    long gen = generation;
    reconnectTimer = ctx.scheduler().schedule(delay, () -> reconnectNow(gen));
  }

  private void reconnectNow(long expectedGeneration) {
    try (var m = Mdc.session(id)) {
      lock.lock();
      try {
        if (state == SessionState.RECONNECTING && generation == expectedGeneration) {
          reconnectTimer = null;
          openConnection();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- watchdog ----

  /** Called by the gateway's sweep: silent CONNECTED → DEGRADED (probe); still silent → reconnect. */
  void checkLiveness(Instant now, WatchdogPolicy policy) {
    SessionState s = state;
    if (s != SessionState.CONNECTED && s != SessionState.DEGRADED) {
      return;
    }
    try (var m = Mdc.session(id)) {
      lock.lock();
      try {
        if (state == SessionState.CONNECTED) {
          Instant last = lastActivity;
          if (last != null && Duration.between(last, now).compareTo(policy.silenceTimeout()) >= 0) {
            Duration silent = Duration.between(last, now);
            degradedSince = now;
            log.warn("session {} silent for {}: degraded, probing", id, silent);
            transition(SessionState.DEGRADED, "no frame for " + silent);
            EngineConnection c = connection;
            if (c != null) {
              c.probe();
            }
          }
        } else if (state == SessionState.DEGRADED && degradedSince != null) {
          if (Duration.between(degradedSince, now).compareTo(policy.probeGrace()) >= 0) {
            Duration silent = lastActivity == null ? Duration.ZERO : Duration.between(lastActivity, now);
            closeConnection();
            scheduleReconnect("silent for " + silent + ", no answer to probe", "silent");
          } else {
            // One lost ping must not decide: probe again on every sweep until the grace ends.
            EngineConnection c = connection;
            if (c != null) {
              c.probe();
            }
          }
        }
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- engine callbacks ----

  private final class Callbacks implements EngineListener {
    private final long gen;

    Callbacks(long gen) {
      this.gen = gen;
    }

    private boolean stale() {
      return gen != generation;
    }

    @Override
    public void onQrCode(String code, Duration validFor) {
      if (stale() || state != SessionState.PAIRING) {
        return;
      }
      Instant now = ctx.scheduler().now();
      ctx.bus().publish(new GatewayEvent.QrCodeIssued(ctx.ids().next("evt"), now, id, code,
          now.plus(validFor)));
    }

    @Override
    public void onPairingCode(String code, Duration validFor) {
      if (stale() || state != SessionState.PAIRING) {
        return;
      }
      Instant now = ctx.scheduler().now();
      ctx.bus().publish(new GatewayEvent.PairingCodeIssued(ctx.ids().next("evt"), now, id, code,
          now.plus(validFor)));
    }

    @Override
    public void onPaired(Jid account, byte[] credentials) {
      try (var m = Mdc.session(id)) {
        lock.lock();
        try {
          if (stale()) {
            return;
          }
          Instant now = ctx.scheduler().now();
          try {
            SessionRecord r = ctx.store().load(id).orElse(SessionRecord.create(id, options, createdAt));
            ctx.store().save(r.paired(account, credentials, now));
            pairedAt = now;
          } catch (StoreException e) {
            log.error("session {} paired but its credentials could not be stored: {}", id,
                e.getMessage());
          }
          self = account;
          log.info("session {} paired with {}", id, account);
          ctx.bus().publish(new GatewayEvent.SessionPaired(ctx.ids().next("evt"), now, id, account));
          if (state == SessionState.PAIRING) {
            transition(SessionState.CONNECTING, "paired");
          }
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onCredentialsChanged(byte[] credentials) {
      try (var m = Mdc.session(id)) {
        lock.lock();
        try {
          if (stale()) {
            throw new StoreException("session " + id + ": credentials from a closed connection are"
                + " not stored");
          }
          SessionRecord r = ctx.store().load(id).orElseThrow(() ->
              new StoreException("session " + id + " has no stored record to update"));
          if (!r.hasCredentials()) {
            throw new StoreException("session " + id + " is not paired; its credentials are not updated");
          }
          ctx.store().save(r.withCredentials(r.self(), credentials, ctx.scheduler().now()));
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onConnected(Jid account) {
      try (var m = Mdc.session(id)) {
        lock.lock();
        try {
          if (stale()) {
            return;
          }
          self = account;
          lastActivity = ctx.scheduler().now();
          if (state == SessionState.PAIRING) {
            transition(SessionState.CONNECTING, "paired");
          }
          transitionOrFail(SessionState.CONNECTED, "connected");
          Duration stable = ctx.reconnect().stableAfter();
          stableTimer = ctx.scheduler().schedule(stable, () -> markStable(gen));
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onDisconnected(Disconnect d) {
      try (var m = Mdc.session(id)) {
        lock.lock();
        try {
          if (stale()) {
            return;
          }
          generation++;
          connection = null;
          cancelTimers();
          String why = d.detail() + " [" + d.code() + "]";
          log.info("session {} disconnected: {} {}", id, d.kind(), why);
          switch (d.kind()) {
            case CONNECTION_LOST, CONNECT_FAILED, SERVER_ERROR -> scheduleReconnect(why, d.code());
            case LOGGED_OUT -> {
              wipeCredentials();
              transitionOrFail(SessionState.LOGGED_OUT, why);
            }
            case RESTRICTED -> transitionOrFail(SessionState.RESTRICTED, why);
            case REPLACED -> transitionOrFail(SessionState.STOPPED, "replaced by another client: " + why);
            case FATAL -> transitionOrFail(SessionState.FAILED, why);
          }
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onActivity() {
      if (stale()) {
        return;
      }
      lastActivity = ctx.scheduler().now();
      if (state == SessionState.DEGRADED) {
        lock.lock();
        try {
          if (!stale() && state == SessionState.DEGRADED) {
            transition(SessionState.CONNECTED, "activity resumed");
          }
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void onInbound(Inbound inbound) {
      if (stale()) {
        return;
      }
      lastActivity = ctx.scheduler().now();
      Inbound in = inbound;
      if (inbound instanceof Inbound.Message m) {
        ctx.metrics().messageReceived(id, m.message().content().type());
        in = new Inbound.Message(ctx.media().inbound(m.message())); // media into the store before the event
      }
      ctx.bus().publish(InboundEvents.toEvent(ctx.ids().next("evt"), lastActivity, id, in));
    }

    @Override
    public void onReceipt(String providerMessageId, MessageStatus status, Instant at) {
      // Receipts are facts about sent messages: kept even from a connection since replaced.
      if (!stale()) {
        lastActivity = ctx.scheduler().now();
      }
      hooks.onReceipt(ManagedSession.this, providerMessageId, status, at, null);
    }

    @Override
    public void onSendFailed(String providerMessageId, Failure failure, Instant at) {
      if (!stale()) {
        lastActivity = ctx.scheduler().now();
      }
      hooks.onReceipt(ManagedSession.this, providerMessageId, MessageStatus.FAILED, at, failure);
    }
  }

  private void markStable(long gen) {
    lock.lock();
    try {
      if (gen == generation && state.canSend()) {
        attempt = 0;
      }
    } finally {
      lock.unlock();
    }
  }
}
