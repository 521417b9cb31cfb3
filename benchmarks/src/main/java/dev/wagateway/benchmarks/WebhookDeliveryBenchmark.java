package dev.wagateway.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookRequest;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhooks.HttpWebhookDeliverer;
import dev.wagateway.webhooks.WebhookSigner;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook delivery to a local receiver (com.sun.net.httpserver, 204, same JVM), three ways in the
 * same run: the raw JDK HttpClient (unsigned POSTs: the ceiling), our HttpWebhookDeliverer alone
 * (signed), and the whole gateway path (event → outbox → dispatcher → signed POST). Plus the
 * signing cost per delivery.
 *
 * <p>Usage: {@code java -cp ... WebhookDeliveryBenchmark [deliveries] [concurrency] [rounds]}
 */
public final class WebhookDeliveryBenchmark {
  /** Attempts of the deliverer-alone phase that did not get a 204 (reported, not hidden). */
  static final AtomicLong ERRORS = new AtomicLong();
  /** The same for the raw client phase. */
  static final AtomicLong RAW_ERRORS = new AtomicLong();
  /** The same for the raw HttpClient 5 phase. */
  static final AtomicLong HC5_RAW_ERRORS = new AtomicLong();
  /** The first error of each raw phase, to say what failed. */
  static final java.util.concurrent.ConcurrentHashMap<String, String> FIRST_ERROR = new java.util.concurrent.ConcurrentHashMap<>();
  static final byte[] BODY = ("{\"id\":\"evt_01KDVDNA0MJHHBXM6VDQQFHA4A\",\"type\":\"message.status\","
      + "\"timestamp\":\"2026-11-23T14:00:00Z\",\"session\":\"sales\",\"data\":{\"messageId\":"
      + "\"msg_01KDVDNA0MZ6NFHJDB0PT8Q4JV\",\"to\":\"491701234567@s.whatsapp.net\",\"contentType\":"
      + "\"text\",\"status\":\"SENT\",\"attempt\":1,\"acceptedAt\":\"2026-11-23T14:00:00Z\"},\"version\":1}")
      .getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    int code = 0;
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    }
    System.exit(code); // the receiver's pool threads would keep the JVM alive after a failure
  }

  static void run(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    AtomicLong received = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/hook", x -> {
      x.getRequestBody().readAllBytes();
      received.incrementAndGet();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    System.out.printf(Locale.ROOT, "machine: %d cores, JVM %s; %d deliveries per round, %d in flight, %d-byte body%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), n, concurrency, BODY.length);
    System.out.printf(Locale.ROOT, "signing: %.0f ns per delivery (Standard Webhooks, one secret)%n", signingNanos());
    double[] raw = new double[rounds];
    double[] deliverer = new double[rounds];
    double[] gateway = new double[rounds];
    double[] hc5 = new double[rounds];
    double[] hc5Raw = new double[rounds];
    double[] hc5Gateway = new double[rounds];
    java.util.function.Supplier<dev.wagateway.webhook.WebhookDeliverer> jdk =
        () -> HttpWebhookDeliverer.builder().allowPrivateNetworks(true).build();
    java.util.function.Supplier<dev.wagateway.webhook.WebhookDeliverer> apache =
        () -> dev.wagateway.webhooks.Hc5WebhookDeliverer.builder().allowPrivateNetworks(true).build();
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      double a = rawClient(url, n, concurrency);
      double b = ourDeliverer(url, n, concurrency, jdk);
      double c = throughGateway(url, n, concurrency, received, jdk);
      long gc0 = gcMillis();
      double f = rawHc5(url, n, concurrency);
      long gc1 = gcMillis();
      double d = ourDeliverer(url, n, concurrency, apache);
      long gc2 = gcMillis();
      double e = throughGateway(url, n, concurrency, received, apache);
      long gc3 = gcMillis();
      if (r >= 0) {
        hc5Raw[r] = f;
        raw[r] = a;
        deliverer[r] = b;
        gateway[r] = c;
        hc5[r] = d;
        hc5Gateway[r] = e;
      }
      System.out.printf(Locale.ROOT, "%s: raw %,.0f/s, deliverer %,.0f/s, gateway %,.0f/s,"
          + " hc5 raw %,.0f/s, hc5 deliverer %,.0f/s, hc5 gateway %,.0f/s (GC ms in the hc5 phases: %d, %d, %d)%n",
          r < 0 ? "warm-up" : "round " + (r + 1), a, b, c, f, d, e, gc1 - gc0, gc2 - gc1, gc3 - gc2);
    }
    java.util.Arrays.sort(raw);
    java.util.Arrays.sort(deliverer);
    java.util.Arrays.sort(gateway);
    java.util.Arrays.sort(hc5);
    java.util.Arrays.sort(hc5Gateway);
    java.util.Arrays.sort(hc5Raw);
    double mh = hc5Raw[rounds / 2];
    System.out.printf(Locale.ROOT, "RESULT hc5 median: raw HttpClient 5 %,.0f/s; Hc5WebhookDeliverer %,.0f/s (%.0f%%);"
        + " gateway end to end with it %,.0f/s (%.0f%%)%n", mh, hc5[rounds / 2], 100 * hc5[rounds / 2] / mh,
        hc5Gateway[rounds / 2], 100 * hc5Gateway[rounds / 2] / mh);
    double mr = raw[rounds / 2];
    System.out.printf(Locale.ROOT, "requests without a 204: raw %d, deliverer %d, hc5 raw %d (errors are counted, not retried,"
        + " in these phases); first errors: %s%n", RAW_ERRORS.get(), ERRORS.get(), HC5_RAW_ERRORS.get(), FIRST_ERROR);
    System.out.printf(Locale.ROOT, "RESULT median: raw JDK HttpClient %,.0f/s; HttpWebhookDeliverer %,.0f/s (%.0f%%);"
        + " gateway end to end %,.0f/s (%.0f%%)%n", mr, deliverer[rounds / 2], 100 * deliverer[rounds / 2] / mr,
        gateway[rounds / 2], 100 * gateway[rounds / 2] / mr);
    server.stop(0);
  }

  static double signingNanos() {
    WebhookSecret s = WebhookSecret.generate();
    long sink = 0;
    for (int i = 0; i < 200_000; i++) {
      sink += WebhookSigner.headers(SignatureMode.STANDARD, List.of(s), "evt_1", 1_700_000_000L + i, BODY).size();
    }
    int iters = 500_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < iters; i++) {
      sink += WebhookSigner.headers(SignatureMode.STANDARD, List.of(s), "evt_1", 1_700_000_000L + i, BODY).size();
    }
    long t = System.nanoTime() - t0;
    if (sink == 42) {
      System.out.print("");
    }
    return (double) t / iters;
  }

  static long gcMillis() {
    long t = 0;
    for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  /** Unsigned POSTs on Apache HttpClient 5 set up as Hc5WebhookDeliverer sets it up: its ceiling. */
  static double rawHc5(URI url, int n, int concurrency) throws Exception {
    try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
            .setConnectionManager(org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder
                .create().setMaxConnTotal(256).setMaxConnPerRoute(256).build())
            .setIOReactorConfig(org.apache.hc.core5.reactor.IOReactorConfig.custom().setIoThreadCount(1).build())
            .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().build()) {
      client.start();
      org.apache.hc.core5.http.ContentType json =
          org.apache.hc.core5.http.ContentType.create("application/json", (java.nio.charset.Charset) null);
      Semaphore window = new Semaphore(concurrency);
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        window.acquire();
        org.apache.hc.client5.http.async.methods.SimpleHttpRequest req =
            org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(url).setBody(BODY, json).build();
        client.execute(req, new org.apache.hc.core5.concurrent.FutureCallback<
            org.apache.hc.client5.http.async.methods.SimpleHttpResponse>() {
          @Override
          public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse x) {
            if (x.getCode() != 204) {
              HC5_RAW_ERRORS.incrementAndGet();
              FIRST_ERROR.putIfAbsent("hc5 raw", "HTTP " + x.getCode());
            }
            window.release();
            done.countDown();
          }

          @Override
          public void failed(Exception e) {
            HC5_RAW_ERRORS.incrementAndGet();
            FIRST_ERROR.putIfAbsent("hc5 raw", String.valueOf(e));
            window.release();
            done.countDown();
          }

          @Override
          public void cancelled() {
            failed(null);
          }
        });
      }
      done.await();
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  static double rawClient(URI url, int n, int concurrency) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .executor(Executors.newCachedThreadPool()).build();
    Semaphore window = new Semaphore(concurrency);
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      HttpRequest req = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
      all[i] = client.sendAsync(req, HttpResponse.BodyHandlers.discarding())
          .handle((x, e) -> {
            window.release();
            if (e != null || x.statusCode() != 204) {
              RAW_ERRORS.incrementAndGet();
              FIRST_ERROR.putIfAbsent("jdk raw", e != null ? String.valueOf(e) : "HTTP " + x.statusCode());
            }
            return null;
          });
    }
    CompletableFuture.allOf(all).join();
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  static double ourDeliverer(URI url, int n, int concurrency,
      java.util.function.Supplier<dev.wagateway.webhook.WebhookDeliverer> factory) throws Exception {
    dev.wagateway.webhook.WebhookDeliverer d = factory.get();
    List<WebhookSecret> secrets = List.of(WebhookSecret.generate());
    Semaphore window = new Semaphore(concurrency);
    CompletableFuture<?>[] all = new CompletableFuture<?>[n];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      all[i] = d.deliver(new WebhookRequest(url, "evt_" + i, Instant.now(), BODY, Map.of(), secrets,
          SignatureMode.STANDARD)).toCompletableFuture().handle((x, e) -> {
            window.release();
            if (e != null || x.statusCode() != 204) {
              ERRORS.incrementAndGet();
            }
            return null;
          });
    }
    CompletableFuture.allOf(all).join();
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    ((AutoCloseable) d).close();
    return rate;
  }

  /** Messages whose three status events (QUEUED, SENDING, SENT) each become a delivery. */
  static double throughGateway(URI url, int n, int concurrency, AtomicLong received,
      java.util.function.Supplier<dev.wagateway.webhook.WebhookDeliverer> factory) throws Exception {
    TaskScheduler scheduler = TaskScheduler.system("bench", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler, SimulatedConfig.instant());
    network.recordSends(false);
    dev.wagateway.webhook.WebhookDeliverer d = factory.get();
    try (WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine()).webhookDeliverer(d)
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off())
            .withMaxQueued(n, QueueConfig.Overflow.BLOCK, Duration.ofMinutes(1)))
        .build()) {
      gw.start();
      gw.sessions().create("s");
      while (network.currentQr("s") == null) {
        Thread.sleep(1);
      }
      network.scan(network.currentQr("s"), "+4917100000001");
      while (gw.sessions().require("s").state() != SessionState.CONNECTED) {
        Thread.sleep(1);
      }
      gw.webhooks().create(SubscriptionRequest.builder(url.toString()).maxConcurrency(concurrency)
          .eventTypes(Set.of("message.status")).build());
      int messages = n / 3;
      long target = received.get() + messages * 3L;
      MessageRequest[] reqs = new MessageRequest[messages];
      for (int i = 0; i < messages; i++) {
        reqs[i] = MessageRequest.builder().session("s").to("+1415" + String.format("%07d", i)).text("x").build();
      }
      long t0 = System.nanoTime();
      for (MessageRequest r : reqs) {
        gw.send(r);
      }
      while (received.get() < target) {
        Thread.sleep(1);
        if (System.nanoTime() - t0 > 300e9) {
          throw new IllegalStateException("only " + received.get() + " of " + target + " in 5 min");
        }
      }
      return messages * 3L / ((System.nanoTime() - t0) / 1e9);
    } finally {
      ((AutoCloseable) d).close();
      scheduler.close();
    }
  }
}
