package dev.wagateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wagateway.webhook.DeliveryOutcome;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookRequest;
import dev.wagateway.webhook.WebhookSecret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real local HTTP server, not a mock of the client; run for every HTTP deliverer. */
abstract class WebhookDelivererContract {
  HttpServer server;
  final ConcurrentLinkedQueue<HttpExchange> seen = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();
  final WebhookSecret secret = WebhookSecret.generate();
  /** What the endless response gives up at when no reader stops it: far beyond any cap. */
  static final long ENDLESS_LIMIT = 512L * 1024 * 1024;
  final java.util.concurrent.atomic.AtomicLong endlessWritten = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicBoolean endlessStopped = new java.util.concurrent.atomic.AtomicBoolean();
  /** A deliverer with these settings (defaults otherwise). */
  abstract WebhookDeliverer open(boolean allowPrivateNetworks, Duration requestTimeout, int responseCap);

  WebhookDeliverer deliverer = open(true, Duration.ofMillis(500), 4096);

  static void close(WebhookDeliverer d) {
    try {
      ((AutoCloseable) d).close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/ok", x -> answer(x, 200, "thanks", Map.of()));
    server.createContext("/gone", x -> answer(x, 410, "no such hook", Map.of()));
    server.createContext("/busy", x -> answer(x, 429, "", Map.of("Retry-After", "30")));
    server.createContext("/broken", x -> answer(x, 503, "", Map.of()));
    server.createContext("/moved", x -> answer(x, 302, "", Map.of("Location", "http://127.0.0.1:1/elsewhere")));
    server.createContext("/huge", x -> answer(x, 200, "x".repeat(1_000_000), Map.of()));
    server.createContext("/endless", x -> {
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(200, 0); // chunked, no end: only the reader's stop ends it
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'x');
      try (OutputStream o = x.getResponseBody()) {
        while (endlessWritten.get() < ENDLESS_LIMIT) {
          o.write(chunk);
          endlessWritten.addAndGet(chunk.length);
        }
      } catch (IOException clientWentAway) {
        endlessStopped.set(true);
      }
      x.close();
    });
    server.createContext("/slow", x -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(x, 200, "late", Map.of());
    });
    server.start();
  }

  void answer(HttpExchange x, int status, String body, Map<String, String> headers) throws IOException {
    bodies.add(x.getRequestBody().readAllBytes());
    seen.add(x);
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      } catch (IOException clientWentAway) {
        // the capped reader stops early on purpose
      }
    }
    x.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    close(deliverer);
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  DeliveryResult send(WebhookDeliverer d, URI url) throws Exception {
    byte[] body = "{\"id\":\"evt_1\",\"type\":\"session.created\"}".getBytes(StandardCharsets.UTF_8);
    return d.deliver(new WebhookRequest(url, "evt_1", Instant.now(), body, Map.of("X-Tenant", "acme"),
        List.of(secret), SignatureMode.STANDARD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSignedPostThatTheVerifierAccepts() throws Exception {
    DeliveryResult r = send(deliverer, url("/ok"));
    assertThat(r.outcome()).isEqualTo(DeliveryOutcome.SUCCESS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.responseExcerpt()).isEqualTo("thanks");
    HttpExchange x = seen.poll();
    assertThat(x.getRequestMethod()).isEqualTo("POST");
    assertThat(x.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(x.getRequestHeaders().getFirst("X-Tenant")).isEqualTo("acme");
    WebhookVerifier v = WebhookVerifier.builder().secret(secret).build();
    assertThat(v.verify(x.getRequestHeaders()::getFirst, bodies.poll())).isEqualTo("evt_1");
  }

  @Test
  void statusesAreClassified() throws Exception {
    assertThat(send(deliverer, url("/gone")).outcome()).isEqualTo(DeliveryOutcome.PERMANENT);
    DeliveryResult busy = send(deliverer, url("/busy"));
    assertThat(busy.outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(busy.retryAfter()).hasSeconds(30);
    assertThat(send(deliverer, url("/broken")).outcome()).isEqualTo(DeliveryOutcome.RETRY);
    DeliveryResult moved = send(deliverer, url("/moved"));
    assertThat(moved.statusCode()).as("redirects are not followed").isEqualTo(302);
    assertThat(moved.outcome()).isEqualTo(DeliveryOutcome.PERMANENT);
  }

  @Test
  void timeoutsAndRefusedConnectionsAreRetryableErrors() throws Exception {
    DeliveryResult slow = send(deliverer, url("/slow"));
    assertThat(slow.outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(slow.error()).startsWith("timeout after");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    DeliveryResult refused = send(deliverer, URI.create("http://127.0.0.1:" + closedPort + "/x"));
    assertThat(refused.outcome()).isEqualTo(DeliveryOutcome.RETRY);
    assertThat(refused.error()).isEqualTo("connection refused");
  }

  @Test
  void responseBodiesAreReadOnlyUpToTheCap() throws Exception {
    WebhookDeliverer capped = open(true, Duration.ofSeconds(5), 100);
    try {
      DeliveryResult r = send(capped, url("/huge"));
      assertThat(r.outcome()).isEqualTo(DeliveryOutcome.SUCCESS);
      assertThat(r.responseExcerpt()).hasSize(100);
    } finally {
      close(capped);
    }
  }

  @Test
  void anEndlessResponseIsCutOffAtTheCapNotReadToItsEnd() throws Exception {
    WebhookDeliverer capped = open(true, Duration.ofSeconds(5), 100);
    try {
      DeliveryResult r = send(capped, url("/endless"));
      assertThat(r.outcome()).isEqualTo(DeliveryOutcome.SUCCESS);
      assertThat(r.responseExcerpt()).hasSize(100);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(endlessStopped).as("the client closed the stream").isTrue());
      assertThat(endlessWritten.get()).as("bytes the receiver got out before the client stopped reading")
          .isLessThan(64L * 1024 * 1024);
    } finally {
      close(capped);
    }
  }

  @Test
  void privateTargetsAreRefusedUnlessAllowed() throws Exception {
    WebhookDeliverer strict = open(false, Duration.ofSeconds(5), 4096);
    try {
      DeliveryResult r = send(strict, url("/ok"));
      assertThat(r.outcome()).isEqualTo(DeliveryOutcome.PERMANENT);
      assertThat(r.error()).contains("non-public address (127.0.0.1)");
      assertThat(seen).as("nothing reached the server").isEmpty();
      DeliveryResult local = send(strict, URI.create("http://localhost:" + server.getAddress().getPort() + "/ok"));
      assertThat(local.outcome()).isEqualTo(DeliveryOutcome.PERMANENT);
    } finally {
      close(strict);
    }
  }
}
