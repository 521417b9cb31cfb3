package dev.wagateway.engine;

import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.MessageStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * How an engine reports what happens on a connection. Calls may come from any thread; the core
 * ignores calls from a connection it has already closed.
 */
public interface EngineListener {

  /** A QR code to show; it replaces any earlier one. */
  void onQrCode(String code, Duration validFor);

  /** A pairing code for the user to type on the phone. */
  void onPairingCode(String code, Duration validFor);

  /** Pairing succeeded; the core stores {@code credentials} (encrypted when configured). */
  void onPaired(Jid self, byte[] credentials);

  /**
   * The engine's credentials changed after pairing (keys rotated, a peer session advanced): the
   * core stores them in place of the old ones, encrypted when configured, before it returns. An
   * engine calls this before it acknowledges to the server whatever caused the change, so a crash
   * loses nothing the server will not send again. Throws {@link dev.wagateway.StoreException}
   * when they could not be stored; the engine must then not acknowledge.
   */
  default void onCredentialsChanged(byte[] credentials) {}

  /** The connection is up and logged in as {@code self}. */
  void onConnected(Jid self);

  /** The connection ended; no further calls follow from it. */
  void onDisconnected(Disconnect reason);

  /** Any frame or keep-alive answer arrived: the connection is alive. Cheap; called often. */
  void onActivity();

  /** Something arrived for the session. */
  void onInbound(Inbound inbound);

  /** A receipt for a message this session sent, by the id in its {@link SendAck}. */
  void onReceipt(String providerMessageId, MessageStatus status, Instant at);

  /**
   * A message WhatsApp had accepted (by the id in its {@link SendAck}) could not be delivered after
   * all: it becomes FAILED with {@code failure} unless it was already delivered. Such a message is
   * not retried (it was accepted once; another attempt could deliver it twice).
   */
  default void onSendFailed(String providerMessageId, Failure failure, Instant at) {
    onReceipt(providerMessageId, MessageStatus.FAILED, at);
  }
}
