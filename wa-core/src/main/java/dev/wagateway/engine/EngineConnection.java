package dev.wagateway.engine;

import dev.wagateway.jid.Jid;
import dev.wagateway.message.OutboundMessage;
import java.util.concurrent.CompletionStage;

/**
 * One connection of one session. Implementations report outcomes through the
 * {@link EngineListener} they were opened with and must never block waiting for a listener
 * callback (the core may hold the session's lock while calling {@link #connect()} or
 * {@link #close()}).
 */
public interface EngineConnection {

  /** Starts connecting (or pairing, without credentials); outcomes arrive on the listener. */
  void connect();

  /**
   * Hands a message to WhatsApp. Completes with the provider's ack, or exceptionally with an
   * {@link EngineSendException} carrying a typed failure. The core applies its own timeout.
   */
  CompletionStage<SendAck> send(OutboundMessage message);

  /**
   * Asks the other side for a sign of life (a ping); an answer arrives as
   * {@link EngineListener#onActivity()}. Called by the watchdog on a silent connection.
   */
  default void probe() {}

  /**
   * Marks a received message (and the ones before it in the chat) as read, and shows a typing
   * indicator when {@code typing} is true. Completes when WhatsApp took the request; an engine
   * without the feature completes exceptionally with {@link UnsupportedOperationException}.
   */
  default CompletionStage<Void> markRead(Jid chat, String messageId, boolean typing) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this engine cannot mark messages as read"));
  }

  /** Disconnects without unlinking. Idempotent; no listener calls follow. */
  void close();

  /** Unlinks this device from the account, then closes. */
  void logout();
}
