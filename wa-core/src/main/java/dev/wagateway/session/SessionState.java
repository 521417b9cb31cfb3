package dev.wagateway.session;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a session. Transitions are an explicit table ({@link #allowedNext()}); anything
 * else is refused with {@link dev.wagateway.IllegalSessionStateException}. docs/architecture.md
 * draws the table.
 */
public enum SessionState {
  /** Created, never started. */
  CREATED,
  /** Loading credentials and opening the engine connection. */
  STARTING,
  /** Not linked yet: waiting for a QR scan or a pairing code. */
  PAIRING,
  /** Linked; the connection is being opened. */
  CONNECTING,
  /** Connected and alive. */
  CONNECTED,
  /** Connected but silent: no frame for longer than the watchdog allows; probing, then reconnect. */
  DEGRADED,
  /** Waiting for the next connection attempt after a disconnect (backoff). */
  RECONNECTING,
  /** The phone unlinked the device or the credentials were refused; needs pairing again. */
  LOGGED_OUT,
  /** WhatsApp restricted or banned the account; sending is refused. */
  RESTRICTED,
  /** Given up: reconnect loop, pairing timeout or a fatal engine error. Start again by hand. */
  FAILED,
  /** Stopped on request (or replaced by another client). */
  STOPPED;

  private static final Map<SessionState, Set<SessionState>> NEXT = new EnumMap<>(SessionState.class);

  static {
    allow(CREATED, STARTING, STOPPED);
    allow(STARTING, PAIRING, CONNECTING, FAILED, STOPPED);
    allow(PAIRING, CONNECTING, RECONNECTING, FAILED, STOPPED);
    allow(CONNECTING, CONNECTED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED);
    allow(CONNECTED, DEGRADED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED);
    allow(DEGRADED, CONNECTED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED);
    allow(RECONNECTING, CONNECTING, PAIRING, FAILED, STOPPED, LOGGED_OUT);
    allow(LOGGED_OUT, STARTING, STOPPED);
    allow(RESTRICTED, STARTING, STOPPED, LOGGED_OUT);
    allow(FAILED, STARTING, STOPPED, LOGGED_OUT);
    allow(STOPPED, STARTING, LOGGED_OUT);
  }

  private static void allow(SessionState from, SessionState... to) {
    NEXT.put(from, Collections.unmodifiableSet(EnumSet.of(to[0], to)));
  }

  /** The states this one may move to. */
  public Set<SessionState> allowedNext() {
    return NEXT.get(this);
  }

  public boolean canTransitionTo(SessionState next) {
    return NEXT.get(this).contains(next);
  }

  /** True while the session is up or trying to be (it holds or wants an engine connection). */
  public boolean isActive() {
    return switch (this) {
      case STARTING, PAIRING, CONNECTING, CONNECTED, DEGRADED, RECONNECTING -> true;
      default -> false;
    };
  }

  /**
   * True when messages can be handed to the engine. Not while DEGRADED: a silent connection would
   * swallow sends and burn their attempts; they wait for the probe's answer or the reconnect.
   */
  public boolean canSend() {
    return this == CONNECTED;
  }

  /** True for states a session can be started from. */
  public boolean canStart() {
    return canTransitionTo(STARTING);
  }
}
