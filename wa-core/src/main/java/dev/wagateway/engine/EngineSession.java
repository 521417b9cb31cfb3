package dev.wagateway.engine;

import dev.wagateway.jid.Jid;
import dev.wagateway.session.PairingMethod;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an engine is told about the session it connects. {@link #toString()} never shows the
 * credentials.
 */
public final class EngineSession {
  private final String sessionId;
  private final @Nullable Jid self;
  private final byte @Nullable [] credentials;
  private final PairingMethod pairing;

  public EngineSession(String sessionId, @Nullable Jid self, byte @Nullable [] credentials,
      PairingMethod pairing) {
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.self = self;
    this.credentials = credentials == null ? null : credentials.clone();
    this.pairing = Objects.requireNonNull(pairing, "pairing");
  }

  public String sessionId() {
    return sessionId;
  }

  /** The linked account, when the session has credentials. */
  public @Nullable Jid self() {
    return self;
  }

  /** A copy of the credentials stored at pairing, or null when the session must pair. */
  public byte @Nullable [] credentials() {
    return credentials == null ? null : credentials.clone();
  }

  public PairingMethod pairing() {
    return pairing;
  }

  @Override
  public String toString() {
    return "EngineSession[" + sessionId + ", self=" + self + ", credentials="
        + (credentials == null ? "none" : "<redacted>") + ", pairing=" + pairing + "]";
  }
}
