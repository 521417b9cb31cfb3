package dev.wagateway;

import dev.wagateway.engine.Engine;
import dev.wagateway.event.EventStream;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.DeadLetters;
import dev.wagateway.queue.QueueStats;
import dev.wagateway.webhook.WebhookStats;
import dev.wagateway.webhook.WebhookSubscriptions;
import dev.wagateway.session.Sessions;
import java.util.Optional;

/**
 * A WhatsApp gateway: sessions behind one {@link Engine}, a send path with status tracking, and an
 * event stream. Build one with {@link #builder()}; the defaults are the simulated engine and
 * in-memory stores, so a gateway runs (and tests run) with no phone and no database.
 *
 * <pre>{@code
 * try (WaGateway gw = WaGateway.builder().build()) {
 *   gw.start();
 *   gw.sessions().create("sales");
 *   gw.events().subscribe("print", e -> System.out.println(e.type()));
 *   gw.send(MessageRequest.builder().session("sales").to("+49 170 1234567").text("Hi").build());
 * }
 * }</pre>
 */
public interface WaGateway extends AutoCloseable {

  static WaGatewayBuilder builder() {
    return new WaGatewayBuilder();
  }

  /** Loads stored sessions, starts the auto-start ones and the watchdog. Idempotent. */
  void start();

  /** True between {@link #start()} and {@link #close()}. */
  boolean isRunning();

  Sessions sessions();

  EventStream events();

  /**
   * Accepts a message into the outbound queue and returns it with its gateway-assigned id. Status
   * changes follow as {@code message.status} events and through {@link #message(String)}. With an
   * idempotency key seen for the session within the window, nothing new is queued and the original
   * message is returned.
   *
   * @throws SessionNotFoundException if the session does not exist
   * @throws IllegalSessionStateException if the session is RESTRICTED
   * @throws QueueFullException when the queue is full (at once, or after waiting, by configuration)
   * @throws WaException if the gateway is shutting down
   */
  OutboundMessage send(MessageRequest request);

  /** The status and history of an outbound message, while it is retained. */
  Optional<MessageInfo> message(String messageId);

  /** The media store set with {@link WaGatewayBuilder#media}, if any. */
  Optional<dev.wagateway.media.MediaStore> mediaStore();

  /**
   * Marks the received message {@code messageId} in {@code chat} as read (blue ticks for the
   * sender), optionally with a typing indicator that WhatsApp shows for up to 25 seconds or until
   * the next reply. Not queued: the session must be connected.
   *
   * @throws dev.wagateway.ValidationException when {@code messageId} is empty or too long
   * @throws IllegalSessionStateException when the session cannot send now
   */
  java.util.concurrent.CompletionStage<Void> markRead(String sessionId, dev.wagateway.jid.Jid chat,
      String messageId, boolean typing);

  /**
   * Cancels a message that is still waiting (not yet handed to the engine).
   *
   * @return false if it is unknown, already sending, sent or finished
   */
  boolean cancel(String messageId);

  /** The dead-letter queue: messages given up on, to inspect, replay or purge. */
  DeadLetters deadLetters();

  /** A read-only view of the outbound queue, for metrics and health. */
  QueueStats queueStats();

  /** Webhook subscriptions, their delivery logs, redelivery. */
  WebhookSubscriptions webhooks();

  /** Business statistics over the last hour and day, from the gateway's status events. */
  dev.wagateway.stats.MessageStatistics statistics();

  /** The built-in alerting: rules, active alerts, acknowledgements, silences, a test notification. */
  dev.wagateway.alerting.Alerts alerts();

  /** A read-only view of webhook delivery, for metrics and health. */
  WebhookStats webhookStats();

  Engine engine();

  /**
   * Pings the session store, queue store and webhook outbox.
   *
   * @throws StoreException naming the store that cannot be reached
   */
  void pingStores();

  /** When the gateway's scheduler last ran its heartbeat task (every second while running). */
  java.time.Instant lastHeartbeat();

  /** When {@link #start()} was called, or null before. */
  java.time.@org.jspecify.annotations.Nullable Instant startedAt();

  /**
   * Graceful shutdown: refuses new sends, waits (up to the shutdown timeout) for sends in flight,
   * stops sessions (credentials kept), drains the event stream, then releases threads it owns.
   */
  @Override
  void close();
}
