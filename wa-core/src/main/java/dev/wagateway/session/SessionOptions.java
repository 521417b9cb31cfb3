package dev.wagateway.session;

import java.util.Objects;

/**
 * Options of a new session.
 *
 * @param pairing how to link when there are no credentials
 * @param autoStart start the session when the gateway starts (and right away if it runs)
 */
public record SessionOptions(PairingMethod pairing, boolean autoStart) {
  public SessionOptions {
    Objects.requireNonNull(pairing, "pairing");
  }

  /** QR pairing, started automatically. */
  public static SessionOptions defaults() {
    return new SessionOptions(PairingMethod.qr(), true);
  }

  public SessionOptions withPairing(PairingMethod pairing) {
    return new SessionOptions(pairing, autoStart);
  }

  public SessionOptions withAutoStart(boolean autoStart) {
    return new SessionOptions(pairing, autoStart);
  }
}
