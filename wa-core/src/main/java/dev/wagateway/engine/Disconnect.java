package dev.wagateway.engine;

import java.util.Objects;

/**
 * Why a connection ended. The {@link Kind} decides what the core does next.
 *
 * @param code the engine's own code (e.g. a stream error number), for logs and events
 */
public record Disconnect(Kind kind, String code, String detail) {
  public Disconnect {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  public enum Kind {
    /** The link dropped; reconnect with backoff. */
    CONNECTION_LOST,
    /** A connection attempt failed; reconnect with backoff. */
    CONNECT_FAILED,
    /** The server closed with a temporary error (5xx-like); reconnect with backoff. */
    SERVER_ERROR,
    /** The device was unlinked or the credentials refused: LOGGED_OUT, credentials wiped. */
    LOGGED_OUT,
    /** The account is restricted or banned: RESTRICTED. */
    RESTRICTED,
    /** Another client took over the session: STOPPED (reconnecting would fight it). */
    REPLACED,
    /** Nothing will help without an operator (e.g. pairing timed out): FAILED. */
    FATAL;

    /** True when the core should reconnect with backoff. */
    public boolean reconnects() {
      return this == CONNECTION_LOST || this == CONNECT_FAILED || this == SERVER_ERROR;
    }
  }

  public static Disconnect of(Kind kind, String detail) {
    return new Disconnect(kind, kind.name().toLowerCase(java.util.Locale.ROOT), detail);
  }
}
