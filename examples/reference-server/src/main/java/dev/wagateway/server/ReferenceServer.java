package dev.wagateway.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wagateway.ValidationException;
import dev.wagateway.WaGateway;
import dev.wagateway.WaGatewayBuilder;
import dev.wagateway.cloudapi.CloudApiEngine;
import dev.wagateway.cloudapi.CloudApiWebhookHandler;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.health.GatewayChecks;
import dev.wagateway.health.HealthCheck;
import dev.wagateway.health.HealthResult;
import dev.wagateway.health.HealthStatus;
import dev.wagateway.media.FileSystemMediaStore;
import dev.wagateway.media.MediaConfig;
import dev.wagateway.health.HealthHttpHandler;
import dev.wagateway.health.HealthService;
import dev.wagateway.metrics.HttpServerMetrics;
import dev.wagateway.metrics.WaGatewayMetrics;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhooks.Hc5WebhookDeliverer;
import dev.wagateway.webhooks.HttpWebhookDeliverer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server: a gateway on the configured engine with the REST API (/api), the event
 * stream (WebSocket, its own port), /metrics, /health, /openapi.yaml and a status page (/). Run it
 * with {@code java -jar wa-reference-server.jar}; settings come from the environment (ServerConfig).
 */
public final class ReferenceServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReferenceServer.class);
  private final ServerConfig config;
  private final TaskScheduler scheduler;
  /** Where Meta posts Cloud API notifications (the callback URL of the Meta app's webhook). */
  public static final String CLOUDAPI_WEBHOOK_PATH = "/webhooks/cloudapi";
  private final SimulatedNetwork network;
  private final @Nullable CloudApiEngine cloudApi;
  private final @Nullable MediaRoutes media;
  private final WaGateway gateway;
  private final WaGatewayMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final HealthService health;
  private final WebhookDeliverer deliverer;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private final EventStreamServer events;
  private final Router router;
  private final Storage storage;
  private volatile boolean closed;

  public ReferenceServer(ServerConfig config) throws IOException, InterruptedException {
    this.config = config;
    ObjectMapper json = new ObjectMapper();
    this.scheduler = TaskScheduler.system("wa-gateway", 2);
    this.network = new SimulatedNetwork(scheduler);
    this.deliverer = config.webhookClient().equals("hc5")
        ? Hc5WebhookDeliverer.builder().allowPrivateNetworks(config.webhookAllowPrivate()).build()
        : HttpWebhookDeliverer.builder().allowPrivateNetworks(config.webhookAllowPrivate()).build();
    this.metrics = WaGatewayMetrics.builder().build();
    PairingState pairing = new PairingState();
    this.storage = Storage.open(config);
    this.cloudApi = config.cloudApi() == null ? null
        : CloudApiEngine.builder(config.cloudApi()).seenIds(storage.seenIds()).scheduler(scheduler).build();
    if (config.mediaDir() != null || config.mediaS3() != null) {
      dev.wagateway.media.MediaStore mediaStore = config.mediaDir() != null
          ? new FileSystemMediaStore(config.mediaDir()) : config.mediaS3().build();
      this.media = new MediaRoutes(mediaStore, storage.mediaLinkKey(), config.mediaLinkTtl(),
          () -> config.publicUrl() != null ? config.publicUrl() : "http://" + linkHost() + ":" + port(),
          Clock.systemUTC(), json);
    } else {
      this.media = null;
    }
    WaGatewayBuilder b = WaGateway.builder().scheduler(scheduler)
        .engine(cloudApi != null ? cloudApi
            : config.web() != null ? new dev.wagateway.web.WebEngine(config.web()) : network.engine())
        .queue(QueueConfig.defaults().withPacing(config.pacing())).webhookDeliverer(deliverer)
        .metricsTracker(metrics.tracker()).maxSessions(config.maxSessions())
        .shutdownTimeout(config.shutdownTimeout());
    if (media != null) {
      b.media(MediaConfig.of(media.store()).withRetention(config.mediaRetention()).withLinks(media.links()));
    }
    storage.apply(b);
    if (storage.simulatedDeviceSecret() != null) {
      network.rememberDevices(storage.simulatedDeviceSecret());
    }
    this.gateway = b.build();
    gateway.events().subscribe(pairing::on, SubscribeOptions.sync("reference-server-pairing"));

    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics.attach(gateway);
    if (storage.file() != null) {
      metrics.storage("sqlite", storage.file());
    }
    if (config.mediaDir() != null) {
      metrics.storage("media", config.mediaDir());
    }
    metrics.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    List<HealthCheck> checks = new ArrayList<>(GatewayChecks.all(gateway, Clock.systemUTC()));
    if (cloudApi != null) {
      checks.add(HealthCheck.of("cloudapi", Set.of(HealthCheck.Group.READINESS), () -> {
        CloudApiEngine.Health h = cloudApi.health();
        return HealthResult.of(HealthStatus.valueOf(h.status()), h.details());
      }));
    }
    this.health = HealthService.builder().checks(checks)
        .startedAt(gateway::startedAt).build();

    ApiKeys keys = new ApiKeys(config.apiKeys());
    this.router = new Api(gateway, new JsonViews(json), pairing, deliverer,
        config.devEndpoints() && cloudApi == null && config.web() == null ? network : null, Clock.systemUTC()).routes(new Router());
    if (media != null) {
      media.routes(router);
    }
    // Without TCP_NODELAY a response written as headers then body waits for the client's delayed
    // ACK (about 40 ms a request, measured). The JDK reads this once, when its first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
    this.httpThreads = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "wa-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(httpThreads);
    HttpContext api = http.createContext("/api", new ApiHandler(router,
        keys, new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System::nanoTime), json,
        config.maxBodyBytes()));
    api.getFilters().add(HttpServerMetrics.filter(registry, x -> router.templateOf(x.getRequestURI().getPath())));
    http.createContext("/metrics", this::metrics).getFilters().add(HttpServerMetrics.filter(registry));
    HttpContext healthCtx = http.createContext("/health", new HealthHttpHandler(health, false,
        x -> keys.authenticate(ApiHandler.presentedKey(x)) != null));
    healthCtx.getFilters().add(HttpServerMetrics.filter(registry));
    if (media != null) {
      // signed links for webhook receivers: no key, the signature and expiry decide
      http.createContext(MediaRoutes.PUBLIC_PATH, media::publicLink).getFilters().add(HttpServerMetrics.filter(registry));
    }
    if (cloudApi != null) {
      // Meta's callback URL: not behind an API key (Meta cannot send one); the app secret's signature guards it.
      http.createContext(CLOUDAPI_WEBHOOK_PATH, x -> cloudApiWebhook(x, cloudApi.webhookHandler()))
          .getFilters().add(HttpServerMetrics.filter(registry));
    }
    http.createContext("/openapi.yaml", x -> resource(x, "/openapi.yaml", "application/yaml"));
    http.createContext("/", x -> {
      String p = x.getRequestURI().getPath();
      if (p.equals("/") || p.equals("/index.html")) {
        resource(x, "/static/index.html", "text/html; charset=utf-8");
      } else {
        plain(x, 404, "not found");
      }
    });
    this.events = new EventStreamServer(new InetSocketAddress(config.host(), config.wsPort()), keys);
  }

  private void cloudApiWebhook(HttpExchange x, CloudApiWebhookHandler handler) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readNBytes(handler.maxBodyBytes() + 1);
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      x.getRequestHeaders().forEach((k, v) -> {
        if (!v.isEmpty()) {
          headers.put(k, v.get(0));
        }
      });
      CloudApiWebhookHandler.Response r = handler.handle(new CloudApiWebhookHandler.Request(x.getRequestMethod(),
          x.getRequestURI().getRawQuery(), headers, body));
      byte[] out = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", r.contentType());
      x.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        x.getResponseBody().write(out);
      }
    }
  }

  /** The host in self-made media links when WA_PUBLIC_URL is not set. */
  private String linkHost() {
    String h = config.host();
    return h.equals("0.0.0.0") || h.equals("::") ? "localhost" : h;
  }

  /** Starts the gateway, the HTTP server and the event stream. */
  public ReferenceServer start() throws InterruptedException {
    gateway.start();
    events.attach(gateway);
    events.startAndWait();
    http.start();
    log.info("wa-gateway reference server on http://{}:{} (events ws://{}:{}{}), engine {}, {}", config.host(),
        port(), config.host(), events.port(), EventStreamServer.PATH, config.engine(), config);
    if (!storage.durable()) {
      log.warn("store: in memory — sessions, queued messages and pending webhooks are lost when the server stops"
          + " (WA_STORE=sqlite, the default, keeps them in a file)");
    }
    if (config.usesDevKey()) {
      log.warn("no WA_API_KEYS set: the development admin key from the README is accepted; set WA_API_KEYS"
          + " before exposing this server");
    }
    if (config.devEndpoints()) {
      log.warn("dev endpoints are on (/api/dev/...: simulated scans and faults); WA_DEV_ENDPOINTS=false turns them off");
    }
    return this;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public int eventsPort() {
    return events.port();
  }

  public WaGateway gateway() {
    return gateway;
  }

  Router router() {
    return router;
  }

  private void metrics(HttpExchange x) throws IOException {
    if (!x.getRequestMethod().equals("GET")) {
      plain(x, 405, "GET only");
      return;
    }
    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }

  private static void resource(HttpExchange x, String name, String type) throws IOException {
    try (x; InputStream in = ReferenceServer.class.getResourceAsStream(name)) {
      if (in == null) {
        plain(x, 404, "not found");
        return;
      }
      byte[] body = in.readAllBytes();
      x.getResponseHeaders().set("Content-Type", type);
      x.getResponseHeaders().set("Cache-Control", "no-cache");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
    }
  }

  private static void plain(HttpExchange x, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  /**
   * Graceful shutdown: stop taking requests (in-flight ones get up to a second), close the event
   * stream, then close the gateway (it refuses new sends and waits for sends in flight).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("shutting down: draining requests, then the gateway");
    http.stop(1);
    httpThreads.shutdown();
    events.shutdown();
    gateway.close();
    health.close();
    metrics.close();
    gcMetrics.close();
    try {
      ((AutoCloseable) deliverer).close();
    } catch (Exception e) {
      log.warn("closing the webhook deliverer failed: {}", e.toString());
    }
    scheduler.close();
    storage.close();
    if (media != null && media.store() instanceof AutoCloseable c) {
      try {
        c.close(); // the S3 client
      } catch (Exception e) {
        log.warn("closing the media store failed: {}", e.getMessage());
      }
    }
    try {
      httpThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopped");
  }

  /** Runs the server until the JVM is told to stop; {@link Main} is the entry point. */
  static void run() throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.fromEnvironment();
    } catch (ValidationException e) {
      System.err.println("wa-gateway: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    ReferenceServer server;
    try {
      server = new ReferenceServer(config).start();
    } catch (ValidationException | dev.wagateway.StoreException e) {
      System.err.println("wa-gateway: cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wa-shutdown"));
    Thread.currentThread().join();
  }

}
