package dev.wagateway.benchmarks;

import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.web.WebEngine;
import dev.wagateway.web.WebEngineConfig;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap per connected web session: N sessions on one WebEngine, paired through a mock server's scan
 * endpoint and logged in (pre-keys uploaded), then the live heap after GC, compared with the heap
 * before the first session. Also the threads the connections hold.
 *
 * <p>Usage: {@code java -cp ... WebSessionsMemoryBenchmark <ws url> <control url> <root hex> [sessions]};
 * benchmarks/run-web-memory.sh starts the mock server.
 */
public final class WebSessionsMemoryBenchmark {
  public static void main(String[] args) throws Exception {
    URI ws = URI.create(args[0]);
    URI control = URI.create(args[1]);
    byte[] root = HexFormat.of().parseHex(args[2]);
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    WebEngine engine = new WebEngine(WebEngineConfig.defaults().withUrl(ws).withRootKey(root));
    Map<String, String> qrs = new ConcurrentHashMap<>();
    try (WaGateway gw = WaGateway.builder().engine(engine).maxSessions(n + 10).build()) {
      gw.events().subscribe(e -> {
        if (e instanceof GatewayEvent.QrCodeIssued q) {
          qrs.putIfAbsent(q.sessionId(), q.code());
        }
      }, SubscribeOptions.sync("qr"));
      gw.start();
      long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long before = liveHeap();
      long rssBefore = rss();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String id = String.format(Locale.ROOT, "s%03d", i);
        gw.sessions().create(id);
        String qr = waitFor(() -> qrs.get(id), Duration.ofSeconds(30), "QR of " + id);
        String phone = String.format(Locale.ROOT, "4917600%05d", i);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(control.resolve("/control/scan"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qr\":\"" + qr + "\",\"phone\":\"" + phone + "\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("scan of " + id + " answered " + r.statusCode() + " " + r.body());
        }
      }
      for (int i = 0; i < n; i++) {
        String id = String.format(Locale.ROOT, "s%03d", i);
        waitFor(() -> gw.sessions().require(id).state() == SessionState.CONNECTED ? "ok" : null,
            Duration.ofSeconds(60), id + " connected");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(2000); // let pre-key uploads and post-login iqs settle
      long after = liveHeap();
      long threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
      long rssAfter = rss();
      System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
          + System.getProperty("java.version"));
      System.out.println(String.format(Locale.ROOT,
          "RESULT %d web sessions paired and connected in %.1f s; live heap %.1f MB -> %.1f MB: %.0f KB per session;"
              + " threads %d -> %d (%.1f per session); process RSS %.0f MB -> %.0f MB (%.0f KB per session)",
          n, seconds, before / 1e6, after / 1e6, (after - before) / 1024.0 / n, threadsBefore, threadsAfter,
          (threadsAfter - threadsBefore) / (double) n, rssBefore / 1e6, rssAfter / 1e6,
          (rssAfter - rssBefore) / 1024.0 / n));
    } finally {
      engine.close();
    }
  }

  /** Resident set size from /proc (Linux); 0 elsewhere. */
  private static long rss() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  private static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String waitFor(java.util.function.Supplier<String> probe, Duration timeout, String what)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      String v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }
}
