package dev.wagateway.internal;

import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.WaException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.Engine;
import dev.wagateway.event.EventStream;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.SessionState;
import dev.wagateway.session.Sessions;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway behind {@link WaGateway}; built by {@link dev.wagateway.WaGatewayBuilder}. */
public final class DefaultWaGateway implements WaGateway {
  private static final Logger log = LoggerFactory.getLogger(DefaultWaGateway.class);
  private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

  private final GatewaySettings settings;
  private final GatewayContext ctx;
  private final EventBus bus = new EventBus();
  private final MessageBook book = new MessageBook();
  private final SendPipeline pipeline;
  private final SessionManager sessions;
  private final Object lifecycle = new Object();
  private volatile boolean running;
  private volatile boolean closing;
  private @Nullable Cancellable pruner;

  public DefaultWaGateway(GatewaySettings settings) {
    this.settings = settings;
    this.ctx = new GatewayContext(settings.scheduler(), bus, new Ids(settings.scheduler().clock()),
        settings.sessionStore(), settings.engine(), settings.reconnect(), settings.watchdog());
    this.pipeline = new SendPipeline(ctx, book, settings.sendTimeout(),
        settings.maxInFlightPerSession());
    this.sessions = new SessionManager(ctx, pipeline, settings.maxSessions());
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (running) {
        return;
      }
      if (closing) {
        throw new WaException("the gateway was closed; build a new one");
      }
      sessions.start();
      pruner = ctx.scheduler().scheduleAtFixedRate(PRUNE_INTERVAL, PRUNE_INTERVAL, () ->
          book.pruneBefore(ctx.scheduler().now().minus(settings.messageRetention())));
      running = true;
      log.info("gateway running on the {} engine", settings.engine().name());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public Sessions sessions() {
    return sessions;
  }

  @Override
  public EventStream events() {
    return bus;
  }

  @Override
  public OutboundMessage send(MessageRequest request) {
    Objects.requireNonNull(request, "request");
    if (closing) {
      throw new WaException("the gateway is shutting down; the message was not accepted");
    }
    ManagedSession s = sessions.session(request.sessionId());
    if (s.state() == SessionState.RESTRICTED) {
      throw new IllegalSessionStateException(s.id, SessionState.RESTRICTED, "send");
    }
    OutboundMessage m = new OutboundMessage(ctx.ids().next("msg"), request, ctx.scheduler().now());
    try (var mdc = Mdc.message(m.id()); var sm = Mdc.session(s.id)) {
      log.debug("accepted {} message {} to {}", m.content().type(), m.id(), m.to());
    }
    pipeline.submit(s, m);
    return m;
  }

  @Override
  public Optional<MessageInfo> message(String messageId) {
    return book.get(messageId).map(MessageBook.Entry::info);
  }

  @Override
  public Engine engine() {
    return settings.engine();
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      closing = true;
    }
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    while (pipeline.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (pipeline.inFlight() > 0) {
      log.warn("shutdown timeout: {} sends still awaited an answer", pipeline.inFlight());
    }
    int waiting = pipeline.waitingTotal();
    if (waiting > 0) {
      log.warn("{} accepted messages were still waiting and are not kept: the in-memory send path"
          + " does not survive a restart", waiting);
    }
    if (pruner != null) {
      pruner.cancel();
    }
    sessions.stopAll();
    running = false;
    bus.close();
    try {
      settings.engine().close();
    } catch (RuntimeException e) {
      log.warn("closing the engine failed", e);
    }
    if (settings.ownsScheduler()) {
      settings.scheduler().close();
    }
    log.info("gateway closed");
  }
}
