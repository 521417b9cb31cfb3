package dev.wagateway.internal;

import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.SendAck;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send path: per session a lane of waiting messages (priority, then FIFO) drained to the
 * engine while the session can send, with a bound on sends in flight, a send timeout and status
 * events for every change. Receipts are applied monotonically through each message's
 * {@link StatusLog}.
 */
final class SendPipeline implements ManagedSession.Hooks {
  private static final Logger log = LoggerFactory.getLogger(SendPipeline.class);
  /** Receipts that arrive before their ack is processed wait here (bounded). */
  private static final int MAX_EARLY_RECEIPTS = 10_000;

  private final GatewayContext ctx;
  private final MessageBook book;
  private final Duration sendTimeout;
  private final int maxInFlight;
  private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, EarlyReceipt> earlyReceipts = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger inFlightTotal = new AtomicInteger();

  private record Waiting(MessageBook.Entry entry, long seq) {}

  private record EarlyReceipt(MessageStatus status, Instant at) {}

  private static final class Lane {
    final PriorityBlockingQueue<Waiting> waiting = new PriorityBlockingQueue<>(16,
        Comparator.<Waiting>comparingInt(w -> w.entry().message.priority().ordinal())
            .thenComparingLong(Waiting::seq));
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean draining = new AtomicBoolean();
  }

  SendPipeline(GatewayContext ctx, MessageBook book, Duration sendTimeout, int maxInFlight) {
    this.ctx = ctx;
    this.book = book;
    this.sendTimeout = sendTimeout;
    this.maxInFlight = maxInFlight;
  }

  void submit(ManagedSession session, OutboundMessage message) {
    MessageBook.Entry e = book.add(message);
    publish(e, e.log.history().get(0), 0);
    Instant notBefore = message.notBefore();
    Instant now = ctx.scheduler().now();
    if (notBefore != null && notBefore.isAfter(now)) {
      ctx.scheduler().schedule(Duration.between(now, notBefore), () -> enqueue(session, e));
    } else {
      enqueue(session, e);
    }
  }

  private void enqueue(ManagedSession session, MessageBook.Entry e) {
    lane(session).waiting.add(new Waiting(e, sequence.incrementAndGet()));
    onSendable(session);
  }

  private Lane lane(ManagedSession session) {
    return lanes.computeIfAbsent(session.id, id -> new Lane());
  }

  /** Messages waiting (not yet handed to the engine) for a session. */
  int waiting(String sessionId) {
    Lane l = lanes.get(sessionId);
    return l == null ? 0 : l.waiting.size();
  }

  /** Messages waiting in every lane (not yet handed to the engine). */
  int waitingTotal() {
    return lanes.values().stream().mapToInt(l -> l.waiting.size()).sum();
  }

  int inFlight() {
    return inFlightTotal.get();
  }

  void forget(String sessionId) {
    lanes.remove(sessionId);
  }

  @Override
  public void onSendable(ManagedSession session) {
    Lane lane = lane(session);
    if (!lane.waiting.isEmpty() && lane.draining.compareAndSet(false, true)) {
      ctx.scheduler().execute(() -> drain(session, lane));
    }
  }

  private void drain(ManagedSession session, Lane lane) {
    try (var m = Mdc.session(session.id)) {
      while (lane.inFlight.get() < maxInFlight) {
        EngineConnection c = session.connectionIfSendable();
        if (c == null) {
          break;
        }
        Waiting w = lane.waiting.poll();
        if (w == null) {
          break;
        }
        sendOne(session, lane, c, w.entry());
      }
    } finally {
      lane.draining.set(false);
    }
    if (!lane.waiting.isEmpty() && lane.inFlight.get() < maxInFlight
        && session.connectionIfSendable() != null) {
      onSendable(session);
    }
  }

  private void sendOne(ManagedSession session, Lane lane, EngineConnection c, MessageBook.Entry e) {
    OutboundMessage msg = e.message;
    Instant now = ctx.scheduler().now();
    Instant expiresAt = msg.expiresAt();
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      fail(e, Failure.of(FailureType.EXPIRED, "expired", "not sent before " + expiresAt), now);
      return;
    }
    int attempt = e.attempts.incrementAndGet();
    e.log.advance(MessageStatus.SENDING, now, null, "attempt " + attempt)
        .ifPresent(ch -> publish(e, ch, attempt));
    lane.inFlight.incrementAndGet();
    inFlightTotal.incrementAndGet();
    AtomicBoolean done = new AtomicBoolean();
    Cancellable[] timeout = new Cancellable[1];
    Runnable finish = () -> {
      lane.inFlight.decrementAndGet();
      inFlightTotal.decrementAndGet();
      onSendable(session);
    };
    timeout[0] = ctx.scheduler().schedule(sendTimeout, () -> {
      if (done.compareAndSet(false, true)) {
        try (var mm = Mdc.message(msg.id())) {
          log.warn("send of {} to {} timed out after {}", msg.id(), msg.to(), sendTimeout);
        }
        fail(e, Failure.of(FailureType.TRANSIENT, "timeout", "no answer within " + sendTimeout),
            ctx.scheduler().now());
        finish.run();
      }
    });
    try {
      c.send(msg).whenComplete((ack, error) -> {
        if (!done.compareAndSet(false, true)) {
          return;
        }
        timeout[0].cancel();
        if (error == null) {
          accepted(e, ack);
        } else {
          fail(e, failureOf(error), ctx.scheduler().now());
        }
        finish.run();
      });
    } catch (RuntimeException ex) {
      if (done.compareAndSet(false, true)) {
        timeout[0].cancel();
        fail(e, failureOf(ex), now);
        finish.run();
      }
    }
  }

  private void accepted(MessageBook.Entry e, SendAck ack) {
    book.linkProvider(e, ack.providerMessageId());
    e.log.advance(MessageStatus.SENT, ack.at(), null, "acknowledged")
        .ifPresent(ch -> publish(e, ch, e.attempts.get()));
    EarlyReceipt early = earlyReceipts.remove(ack.providerMessageId());
    if (early != null) {
      applyReceipt(e, early.status(), early.at());
    }
  }

  private void fail(MessageBook.Entry e, Failure failure, Instant at) {
    try (var m = Mdc.message(e.message.id())) {
      log.info("message {} to {} failed: {} ({})", e.message.id(), e.message.to(), failure.type(),
          failure.code());
    }
    e.log.advance(MessageStatus.FAILED, at, failure, failure.code())
        .ifPresent(ch -> publish(e, ch, e.attempts.get()));
  }

  private static Failure failureOf(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (t instanceof EngineSendException ese) {
      return ese.failure();
    }
    return Failure.of(FailureType.TRANSIENT, "engine_error",
        "the engine failed: " + t.getClass().getSimpleName());
  }

  @Override
  public void onReceipt(ManagedSession session, String providerMessageId, MessageStatus status,
      Instant at) {
    Optional<MessageBook.Entry> e = book.byProvider(providerMessageId);
    if (e.isPresent()) {
      applyReceipt(e.get(), status, at);
    } else if (earlyReceipts.size() < MAX_EARLY_RECEIPTS) {
      earlyReceipts.merge(providerMessageId, new EarlyReceipt(status, at),
          (a, b) -> b.status().ordinal() > a.status().ordinal() ? b : a);
    }
  }

  private void applyReceipt(MessageBook.Entry e, MessageStatus status, Instant at) {
    e.log.advance(status, at, null, "receipt").ifPresent(ch -> publish(e, ch, e.attempts.get()));
  }

  private void publish(MessageBook.Entry e, StatusLog.Change ch, int attempt) {
    OutboundMessage m = e.message;
    @Nullable Failure f = ch.failure();
    ctx.bus().publish(new GatewayEvent.MessageStatusChanged(ctx.ids().next("evt"), ch.at(),
        m.sessionId(), m.id(), m.to(), m.content().type(), ch.status(), f, attempt));
  }
}
