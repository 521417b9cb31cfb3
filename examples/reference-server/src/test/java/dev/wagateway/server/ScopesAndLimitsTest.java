package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static dev.wagateway.server.TestServer.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A session key sees and acts only on its own session, over REST and WebSocket; keys are rate-limited. */
class ScopesAndLimitsTest {
  static TestServer s;
  static String messageOfB;

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer();
    s.pair("a", "+49 170 1111111");
    s.pair("b", "+49 170 2222222");
    messageOfB = s.post("/api/sessions/b/messages", ADMIN, "{\"to\":\"+49 170 1111111\",\"text\":\"from b\"}")
        .body().path("id").asText();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void aSessionKeySeesOnlyItsSession() throws Exception {
    JsonNode list = s.get("/api/sessions", KEY_A).body();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("id").asText()).isEqualTo("a");
    assertThat(s.get("/api/sessions", ADMIN).body()).hasSize(2);
    assertThat(s.get("/api/sessions/a", KEY_A).status()).isEqualTo(200);
    assertThat(s.get("/api/sessions/b", KEY_A).status()).isEqualTo(403);
    assertThat(s.get("/api/sessions/b/qr", KEY_A).status()).isEqualTo(403);
    assertThat(s.post("/api/sessions/b/stop", KEY_A, null).status()).isEqualTo(403);
    assertThat(s.call("DELETE", "/api/sessions/b", KEY_A, null).status()).isEqualTo(403);
    assertThat(s.post("/api/sessions", KEY_A, "{\"id\":\"c\"}").status()).isEqualTo(403);
    assertThat(s.get("/api/status", KEY_A).body().path("sessions")).hasSize(1);
    assertThat(s.get("/api/status", KEY_A).body().has("webhooks")).as("gateway-wide state is for admins").isFalse();
    JsonNode stats = s.get("/api/stats", KEY_A).body();
    assertThat(stats.path("lastHour").has("overall")).as("overall statistics are for admins").isFalse();
    assertThat(stats.path("lastHour").path("sessions")).hasSize(1);
    assertThat(stats.path("lastHour").path("sessions").get(0).path("session").asText()).isEqualTo("a");
    assertThat(s.get("/api/stats?session=b", KEY_A).status()).isEqualTo(403);
  }

  @Test
  void aSessionKeyCannotSendThroughOrReadAnotherSession() throws Exception {
    assertThat(s.post("/api/sessions/b/messages", KEY_A, "{\"to\":\"+49 170 1111111\",\"text\":\"x\"}").status())
        .isEqualTo(403);
    TestServer.Reply own = s.post("/api/sessions/a/messages", KEY_A, "{\"to\":\"+49 170 2222222\",\"text\":\"x\"}");
    assertThat(own.status()).isEqualTo(202);
    assertThat(s.get("/api/messages/" + own.body().path("id").asText(), KEY_A).status()).isEqualTo(200);
    TestServer.Reply other = s.get("/api/messages/" + messageOfB, KEY_A);
    assertThat(other.status()).as("the same answer as for an unknown id").isEqualTo(404);
    assertThat(s.post("/api/messages/" + messageOfB + "/cancel", KEY_A, null).status()).isEqualTo(404);
    assertThat(s.get("/api/messages/" + messageOfB, ADMIN).status()).isEqualTo(200);
    assertThat(s.get("/api/dead-letters?session=b", KEY_A).status()).isEqualTo(403);
  }

  @Test
  void aSessionKeyCannotSubscribeToAnotherSession() throws Exception {
    assertThat(s.post("/api/webhooks", KEY_A, "{\"url\":\"https://example.com/hook\",\"session\":\"b\"}").status())
        .isEqualTo(403);
    TestServer.Reply own = s.post("/api/webhooks", KEY_A, "{\"url\":\"https://example.com/hook\"}");
    assertThat(own.status()).isEqualTo(201);
    assertThat(own.body().path("session").asText()).as("bound to the key's session").isEqualTo("a");
    String adminHook = s.post("/api/webhooks", ADMIN, "{\"url\":\"https://example.com/all\"}").body().path("id").asText();
    assertThat(s.get("/api/webhooks", KEY_A).body()).hasSize(1);
    assertThat(s.get("/api/webhooks/" + adminHook, KEY_A).status()).isEqualTo(404);
    assertThat(s.call("DELETE", "/api/webhooks/" + adminHook, KEY_A, null).status()).isEqualTo(404);
    assertThat(s.get("/api/webhooks/" + adminHook + "/deliveries", KEY_A).status()).isEqualTo(404);
  }

  @Test
  void theEventStreamIsScopedToo() throws Exception {
    URI ws = URI.create("ws://127.0.0.1:" + s.server.eventsPort() + "/ws/events");
    // asking for another session is refused at the handshake
    AtomicInteger refusedCode = new AtomicInteger();
    AtomicReference<String> refusedReason = new AtomicReference<>("");
    WebSocketClient refused = client(URI.create(ws + "?session=b"), KEY_A, new CopyOnWriteArrayList<>(), refusedCode,
        refusedReason);
    assertThat(refused.connectBlocking(5, TimeUnit.SECONDS)).isFalse();
    // without a key as well
    WebSocketClient anonymous = client(ws, null, new CopyOnWriteArrayList<>(), new AtomicInteger(), new AtomicReference<>());
    assertThat(anonymous.connectBlocking(5, TimeUnit.SECONDS)).isFalse();
    // with its own key and no filter: only session a's events
    List<String> seen = new CopyOnWriteArrayList<>();
    WebSocketClient own = client(ws, KEY_A, seen, new AtomicInteger(), new AtomicReference<>());
    assertThat(own.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
    try {
      s.post("/api/sessions/b/messages", ADMIN, "{\"to\":\"+49 170 1111111\",\"text\":\"b again\"}");
      s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+49 170 2222222\",\"text\":\"a again\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(m -> m.contains("\"READ\"")));
      Thread.sleep(300); // b's events, were they leaking, would have arrived by now too
      assertThat(seen).isNotEmpty().allSatisfy(m ->
          assertThat(TestServer.JSON.readTree(m).path("session").asText()).isEqualTo("a"));
    } finally {
      own.closeBlocking();
    }
  }

  static WebSocketClient client(URI uri, String key, List<String> seen, AtomicInteger closeCode,
      AtomicReference<String> closeReason) {
    Map<String, String> headers = key == null ? Map.of() : Map.of("Authorization", "Bearer " + key);
    return new WebSocketClient(uri, headers) {
      @Override
      public void onOpen(ServerHandshake h) {}

      @Override
      public void onMessage(String message) {
        seen.add(message);
      }

      @Override
      public void onClose(int code, String reason, boolean remote) {
        closeCode.set(code);
        closeReason.set(reason);
      }

      @Override
      public void onError(Exception ex) {}
    };
  }

  @Test
  void eachKeyIsRateLimitedWith429AndRetryAfter() throws Exception {
    try (TestServer limited = new TestServer(Map.of("WA_RATE_LIMIT", "1", "WA_RATE_LIMIT_BURST", "3"))) {
      int ok = 0;
      TestServer.Reply last = null;
      for (int i = 0; i < 6; i++) {
        last = limited.get("/api/sessions", ADMIN);
        if (last.status() == 200) {
          ok++;
        }
      }
      assertThat(ok).isBetween(3, 4);
      assertThat(last.status()).isEqualTo(429);
      assertThat(last.header("Retry-After")).isEqualTo("1");
      assertThat(last.body().path("title").asText()).isEqualTo("Too many requests");
      assertThat(limited.get("/api/sessions", KEY_A).status()).as("another key has its own bucket").isEqualTo(200);
    }
  }
}
