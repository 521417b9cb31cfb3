package dev.wagateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real com.sun.net.httpserver: status, uri template, outcome and exception tags. */
class HttpServerMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final HttpClient client = HttpClient.newHttpClient();
  HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api", x -> {
      x.getRequestBody().readAllBytes();
      int status = x.getRequestURI().getPath().startsWith("/api/sessions/") ? 404 : 202;
      x.sendResponseHeaders(status, -1);
      x.close();
    }).getFilters().add(HttpServerMetrics.filter(registry, x ->
        x.getRequestURI().getPath().startsWith("/api/sessions/") ? "/api/sessions/{id}" : x.getRequestURI().getPath()));
    server.createContext("/boom", x -> {
      throw new IllegalStateException("handler failed");
    }).getFilters().add(HttpServerMetrics.filter(registry));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  int call(String method, String path) throws Exception {
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException closedWithoutAnswer) {
      return -1;
    }
  }

  double count(String... tags) {
    var t = registry.find(WaMetricNames.HTTP_SERVER_REQUESTS).tags(tags).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void requestsAreTimedWithBoundedTags() throws Exception {
    assertThat(call("POST", "/api/messages")).isEqualTo(202);
    assertThat(call("POST", "/api/messages")).isEqualTo(202);
    assertThat(call("GET", "/api/sessions/491701234567")).isEqualTo(404);
    assertThat(call("GET", "/api/sessions/491709999999")).isEqualTo(404);
    call("BREW", "/api/messages");
    call("POST", "/boom"); // POST: the JDK client would retry a GET whose connection closed unanswered

    assertThat(count("method", "POST", "uri", "/api/messages", "status", "202", "outcome", "SUCCESS",
        "exception", "none")).isEqualTo(2);
    assertThat(count("method", "GET", "uri", "/api/sessions/{id}", "status", "404", "outcome", "CLIENT_ERROR"))
        .as("ids in the path share one template").isEqualTo(2);
    assertThat(count("method", "OTHER")).as("an unknown method token is folded: " + registry.getMetersAsString())
        .isEqualTo(1);
    assertThat(count("uri", "/boom", "status", "500", "outcome", "SERVER_ERROR", "exception", "IllegalStateException"))
        .isEqualTo(1);
    registry.getMeters().forEach(m -> m.getId().getTags().forEach(t ->
        assertThat(t.getValue()).as(m.getId().toString()).doesNotContain("4917")));
  }

  @Test
  void outcomesFollowTheStatusClass() {
    assertThat(HttpServerMetrics.outcome(101)).isEqualTo("INFORMATIONAL");
    assertThat(HttpServerMetrics.outcome(204)).isEqualTo("SUCCESS");
    assertThat(HttpServerMetrics.outcome(304)).isEqualTo("REDIRECTION");
    assertThat(HttpServerMetrics.outcome(429)).isEqualTo("CLIENT_ERROR");
    assertThat(HttpServerMetrics.outcome(503)).isEqualTo("SERVER_ERROR");
    assertThat(HttpServerMetrics.outcome(700)).isEqualTo("UNKNOWN");
  }
}
