package dev.wagateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthHttpHandlerTest {
  final AtomicReference<HealthStatus> ready = new AtomicReference<>(HealthStatus.UP);
  final CountDownLatch never = new CountDownLatch(1);
  HttpServer server;
  HealthService health;
  final HttpClient client = HttpClient.newHttpClient();

  void start(boolean hangingCheck) throws Exception {
    HealthService.Builder b = HealthService.builder().timeout(Duration.ofMillis(300))
        .check(HealthCheck.of("live", Set.of(HealthCheck.Group.LIVENESS), HealthResult::up))
        .check(HealthCheck.of("ready", Set.of(HealthCheck.Group.READINESS),
            () -> HealthResult.of(ready.get(), Map.of("secretish", "internal-host-7"))));
    if (hangingCheck) {
      b.check(HealthCheck.of("hang", Set.of(HealthCheck.Group.READINESS), () -> {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return HealthResult.up();
      }));
    }
    health = b.build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", new HealthHttpHandler(health, false,
        x -> "Bearer admin-key".equals(x.getRequestHeaders().getFirst("Authorization"))));
    server.start();
  }

  @AfterEach
  void stop() {
    never.countDown();
    server.stop(0);
    health.close();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + path)).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      r.headers(headers);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void degradedIsStill200AndOnlyDownIs503() throws Exception {
    start(false);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    ready.set(HealthStatus.DEGRADED);
    HttpResponse<String> degraded = get("/health/ready");
    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(degraded.body()).contains("\"status\":\"DEGRADED\"");
    assertThat(degraded.headers().firstValue("Content-Type")).contains("application/json");
    ready.set(HealthStatus.DOWN);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).as("liveness has its own checks").isEqualTo(200);
  }

  @Test
  void detailsOnlyForAuthorizedCallers() throws Exception {
    start(false);
    assertThat(get("/health").body()).doesNotContain("details").doesNotContain("internal-host-7");
    assertThat(get("/health", "Authorization", "Bearer admin-key").body()).contains("internal-host-7");
    assertThat(get("/health", "Authorization", "Bearer wrong").body()).doesNotContain("internal-host-7");
  }

  @Test
  void aHangingCheckCannotHangTheEndpoint() throws Exception {
    start(true);
    long t0 = System.nanoTime();
    HttpResponse<String> r = get("/health/ready");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void onlyGetAndHeadOnKnownPaths() throws Exception {
    start(false);
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/health")).POST(HttpRequest.BodyPublishers.noBody()).build();
    assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    assertThat(get("/health/nope").statusCode()).isEqualTo(404);
    HttpRequest head = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/health/live")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    assertThat(client.send(head, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }
}
