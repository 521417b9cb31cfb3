package dev.wagateway.web;

import dev.wagateway.engine.Engine;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.web.internal.WebConnection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The native WhatsApp Web multi-device engine: a session on it is a linked device of a phone,
 * paired by QR, speaking Noise, binary nodes and Signal over a WebSocket (docs/web-engine.md).
 *
 * <p>One engine serves many sessions; each {@link #open} is one connection with its own socket.
 * Timers run on two shared daemon threads, slower work (key fetches, sends) on a shared pool.
 */
public final class WebEngine implements Engine {
  private final WebEngineConfig config;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers;

  public WebEngine(WebEngineConfig config) {
    this.config = config;
    this.timers = Executors.newScheduledThreadPool(2, daemon("wa-web-timer"));
    this.workers = Executors.newCachedThreadPool(daemon("wa-web-worker"));
  }

  public static WebEngine create() {
    return new WebEngine(WebEngineConfig.defaults());
  }

  @Override
  public String name() {
    return "web";
  }

  public WebEngineConfig config() {
    return config;
  }

  @Override
  public EngineConnection open(EngineSession session, EngineListener listener) {
    return new WebConnection(config, session, listener, timers, workers);
  }

  @Override
  public void close() {
    timers.shutdownNow();
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
