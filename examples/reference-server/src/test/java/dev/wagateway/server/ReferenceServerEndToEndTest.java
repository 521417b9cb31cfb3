package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.wagateway.webhooks.WebhookVerificationException;
import dev.wagateway.webhooks.WebhookVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.java_websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/**
 * The whole flow on a real server: two sessions pair through the simulated scan, messages go out
 * over REST, a local receiver gets signed webhooks and verifies each, the WebSocket stream shows the
 * same events, /metrics has every metric of the contract and /health is UP.
 */
class ReferenceServerEndToEndTest {

  /** Prometheus names of DESIGN.md's metric table that this server emits now. */
  static final List<String> CONTRACT = List.of("whatsapp_connection_status", "whatsapp_sessions",
      "whatsapp_uptime_seconds", "whatsapp_reconnect_total", "whatsapp_messages_sent_total",
      "whatsapp_messages_received_total", "whatsapp_messages_failed_total", "whatsapp_messages_delivered_total",
      "whatsapp_messages_read_total", "whatsapp_message_send_duration_seconds_bucket",
      "whatsapp_queue_waiting_messages", "whatsapp_queue_active_messages", "whatsapp_queue_dlq_messages",
      "whatsapp_queue_processing_duration_seconds_bucket", "whatsapp_rate_limit_hits_total",
      "whatsapp_webhook_deliveries_total", "whatsapp_webhook_delivery_duration_seconds_bucket",
      "whatsapp_webhook_endpoints_disabled", "whatsapp_dispatch_lag_seconds_bucket",
      "http_server_requests_seconds_bucket", "whatsapp_storage_used_bytes");
  /** In DESIGN's table but not yet emitted by this server, and why; the test fails when one appears. */
  static final Map<String, String> PENDING = Map.of(
      "whatsapp_media_processing_duration_seconds", "media arrives with issue 15");

  @Test
  void pairSendDeliverStreamScrapeAndCheckHealth() throws Exception {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    AtomicReference<WebhookVerifier> verifier = new AtomicReference<>();
    Map<String, JsonNode> webhookEvents = new ConcurrentHashMap<>();
    AtomicInteger badSignatures = new AtomicInteger();
    receiver.createContext("/hook", x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      int status = 204;
      try {
        String id = verifier.get().verify(x.getRequestHeaders()::getFirst, body);
        webhookEvents.put(id, TestServer.JSON.readTree(body));
      } catch (WebhookVerificationException e) {
        badSignatures.incrementAndGet();
        status = 401;
      }
      x.sendResponseHeaders(status, -1);
      x.close();
    });
    receiver.start();
    try (TestServer s = new TestServer()) {
      TestServer.Reply hook = s.post("/api/webhooks", ADMIN, "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
          + "/hook\",\"eventTypes\":[\"message.status\",\"message.received\",\"session.paired\"]}");
      assertThat(hook.status()).isEqualTo(201);
      String secret = hook.body().path("secret").asText();
      assertThat(secret).startsWith("whsec_");
      verifier.set(WebhookVerifier.builder().secret(dev.wagateway.webhook.WebhookSecret.parse("secret", secret)).build());
      assertThat(s.get("/api/webhooks/" + hook.body().path("id").asText(), ADMIN).body().has("secret"))
          .as("the secret is shown once").isFalse();

      List<String> wsFrames = new CopyOnWriteArrayList<>();
      WebSocketClient ws = ScopesAndLimitsTest.client(URI.create("ws://127.0.0.1:" + s.server.eventsPort()
              + "/ws/events?types=message.status,message.received,session.paired"), ADMIN, wsFrames,
          new AtomicInteger(), new AtomicReference<>());
      assertThat(ws.connectBlocking(5, TimeUnit.SECONDS)).isTrue();

      s.pair("a", "+49 170 1111111");
      s.pair("b", "+44 7700 900222");
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        TestServer.Reply r = s.post("/api/sessions/a/messages", ADMIN,
            "{\"to\":\"+44 7700 900222\",\"text\":\"hello " + i + "\",\"idempotencyKey\":\"order-" + i + "\"}");
        assertThat(r.status()).isEqualTo(202);
        ids.add(r.body().path("id").asText());
      }
      TestServer.Reply again = s.post("/api/sessions/a/messages", ADMIN,
          "{\"to\":\"+44 7700 900222\",\"text\":\"hello 0\",\"idempotencyKey\":\"order-0\"}");
      assertThat(again.body().path("id").asText()).as("an idempotency key returns the original").isEqualTo(ids.get(0));
      s.post("/api/sessions/b/messages", ADMIN, "{\"to\":\"+49 170 1111111\",\"type\":\"location\",\"latitude\":52.52,"
          + "\"longitude\":13.40,\"name\":\"Berlin\"}");

      await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> {
        try {
          return s.get("/api/messages/" + id, ADMIN).body().path("status").asText().equals("READ");
        } catch (Exception e) {
          return false;
        }
      }));
      JsonNode m0 = s.get("/api/messages/" + ids.get(0), ADMIN).body();
      assertThat(m0.path("history").findValuesAsText("status")).containsExactly("QUEUED", "SENDING", "SENT",
          "DELIVERED", "READ");

      // webhooks: every message's five statuses, the received messages and both pairings, all signed
      await().atMost(Duration.ofSeconds(20)).until(() -> webhookEvents.values().stream()
          .filter(e -> e.path("type").asText().equals("message.status")).count() >= 6 * 5
          && webhookEvents.values().stream().filter(e -> e.path("type").asText().equals("message.received")).count() >= 6);
      assertThat(badSignatures).hasValue(0);
      Set<String> readIds = webhookEvents.values().stream()
          .filter(e -> e.path("data").path("status").asText().equals("READ"))
          .map(e -> e.path("data").path("messageId").asText()).collect(Collectors.toSet());
      assertThat(readIds).containsAll(ids);
      // the stream saw the same events, with the same ids
      await().atMost(Duration.ofSeconds(10)).until(() -> wsFrames.size() >= webhookEvents.size());
      Set<String> wsIds = wsFrames.stream().map(f -> {
        try {
          return TestServer.JSON.readTree(f).path("id").asText();
        } catch (Exception e) {
          return "";
        }
      }).collect(Collectors.toSet());
      assertThat(wsIds).containsAll(webhookEvents.keySet());
      ws.closeBlocking();

      // business statistics: a's five messages (b's one went the other way)
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode stats = s.get("/api/stats", ADMIN).body();
        JsonNode a = null;
        for (JsonNode n : stats.path("lastHour").path("sessions")) {
          if (n.path("session").asText().equals("a")) {
            a = n;
          }
        }
        assertThat(a).isNotNull();
        assertThat(a.path("sent").asLong()).isEqualTo(5);
        assertThat(a.path("read").asLong()).isEqualTo(5);
        assertThat(a.path("deliveryRate").asDouble()).isEqualTo(1.0);
        assertThat(stats.path("lastHour").path("overall").path("sent").asLong()).isEqualTo(6);
        assertThat(stats.path("lastDay").path("overall").path("sent").asLong()).isEqualTo(6);
      });

      // faults through the dev endpoints: a dropped connection that reconnects, a permanent failure
      String connectedSince = s.get("/api/sessions/b", ADMIN).body().path("stateSince").asText();
      assertThat(s.post("/api/dev/sessions/b/faults", ADMIN, "{\"fault\":\"disconnect\"}").status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        JsonNode b = s.get("/api/sessions/b", ADMIN).body();
        return b.path("state").asText().equals("CONNECTED") && !b.path("stateSince").asText().equals(connectedSince);
      });
      assertThat(s.post("/api/dev/sessions/a/faults", ADMIN, "{\"fault\":\"fail_sends\",\"permanentRatio\":1}").status())
          .isEqualTo(202);
      String doomed = s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"fails\"}")
          .body().path("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          s.get("/api/dead-letters/" + doomed, ADMIN).status() == 200);
      assertThat(s.get("/api/dead-letters", ADMIN).body().findValuesAsText("id")).contains(doomed);
      assertThat(s.post("/api/dev/sessions/a/faults", ADMIN, "{\"fault\":\"clear\"}").status()).isEqualTo(202);
      assertThat(s.post("/api/dead-letters/" + doomed + "/replay", ADMIN, null).status()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          s.get("/api/messages/" + doomed, ADMIN).body().path("status").asText().equals("READ"));

      // metrics: a real scrape with every metric of the contract
      var scrape = s.http.send(java.net.http.HttpRequest.newBuilder(s.uri("/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      for (String name : CONTRACT) {
        assertThat(scrape.body()).as(name).containsPattern("(?m)^" + name + "[{ ]");
      }
      for (String name : PENDING.keySet()) {
        assertThat(scrape.body()).as(name + " is pending: " + PENDING.get(name) + "; move it to CONTRACT")
            .doesNotContain(name);
      }
      assertThat(scrape.body()).contains("whatsapp_messages_sent_total{session=\"a\",type=\"text\"} 6.0") // 5 + the replayed one
          .contains("whatsapp_messages_failed_total{reason=\"permanent\",session=\"a\",type=\"text\"} 1.0")
          .containsPattern("http_server_requests_seconds_count\\{.*uri=\"/api/sessions/\\{id\\}/messages\".*\\} ");

      // health
      TestServer.Reply health = s.get("/health", null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body().path("status").asText()).isEqualTo("UP");
      assertThat(s.get("/health/ready", null).status()).isEqualTo(200);
      assertThat(s.get("/health/live", null).body().path("status").asText()).isEqualTo("UP");
      assertThat(s.get("/health", ADMIN).body().path("checks").path("sessions").has("details"))
          .as("details for a key holder").isTrue();

      // QR as PNG while pairing, and a delivery log
      assertThat(s.post("/api/sessions", ADMIN, "{\"id\":\"c\"}").status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(5)).until(() -> s.get("/api/sessions/c/qr.png", ADMIN).status() == 200);
      byte[] png = s.get("/api/sessions/c/qr.png", ADMIN).raw().body();
      assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
      JsonNode log = s.get("/api/webhooks/" + hook.body().path("id").asText() + "/deliveries?limit=500", ADMIN).body();
      assertThat(log.size()).isGreaterThanOrEqualTo(webhookEvents.size());
      assertThat(log.get(0).path("log").get(0).path("statusCode").asInt()).isEqualTo(204);
      TestServer.Reply test = s.post("/api/webhooks/" + hook.body().path("id").asText() + "/test", ADMIN, null);
      assertThat(test.body().path("outcome").asText()).isEqualTo("success");
      await().atMost(Duration.ofSeconds(5)).until(() -> webhookEvents.containsKey(test.body().path("eventId").asText()));
    } finally {
      receiver.stop(0);
    }
  }
}
