package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static dev.wagateway.server.TestServer.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/** /api/alerts: the rules, silences, acknowledgement, and a test alert that reaches the event stream. */
class AlertsApiTest {
  @Test
  void rulesSilencesAndATestAlertOverTheApiAndTheStream() throws Exception {
    try (TestServer s = new TestServer()) {
      JsonNode all = s.get("/api/alerts", ADMIN).body();
      assertThat(all.path("rules").findValuesAsText("name")).contains("WaSessionDisconnected", "WaDeliveryRateLow",
          "WaQueueBacklogHigh");
      assertThat(all.path("active")).isEmpty();

      TestServer.Reply sl = s.post("/api/alerts/silences", ADMIN, "{\"rule\":\"WaSessionDisconnected\",\"until\":\""
          + Instant.now().plus(Duration.ofHours(1)) + "\",\"reason\":\"phone maintenance\"}");
      assertThat(sl.status()).isEqualTo(201);
      String id = sl.body().path("id").asText();
      assertThat(s.get("/api/alerts", ADMIN).body().path("silences").findValuesAsText("id")).containsExactly(id);
      assertThat(s.post("/api/alerts/silences", ADMIN, "{\"rule\":\"Nope\",\"until\":\"" + Instant.now().plusSeconds(60)
          + "\",\"reason\":\"x\"}").body().path("field").asText()).isEqualTo("rule");
      assertThat(s.post("/api/alerts/silences", ADMIN, "{\"rule\":\"WaMemoryHigh\",\"reason\":\"x\"}").status()).isEqualTo(400);
      assertThat(s.call("DELETE", "/api/alerts/silences/" + id, ADMIN, null).status()).isEqualTo(204);
      assertThat(s.call("DELETE", "/api/alerts/silences/" + id, ADMIN, null).status()).isEqualTo(404);
      assertThat(s.post("/api/alerts/ack", ADMIN, "{\"rule\":\"WaMemoryHigh\"}").status()).as("nothing firing").isEqualTo(404);

      // a session key may read, not silence, acknowledge or test
      assertThat(s.get("/api/alerts", KEY_A).status()).isEqualTo(200);
      assertThat(s.get("/api/alerts", KEY_A).body().path("silences")).isEmpty();
      assertThat(s.post("/api/alerts/test", KEY_A, null).status()).isEqualTo(403);
      assertThat(s.post("/api/alerts/silences", KEY_A, "{\"session\":\"a\",\"until\":\"" + Instant.now().plusSeconds(60)
          + "\",\"reason\":\"x\"}").status()).isEqualTo(403);

      List<String> frames = new CopyOnWriteArrayList<>();
      WebSocketClient ws = ScopesAndLimitsTest.client(URI.create("ws://127.0.0.1:" + s.server.eventsPort()
          + "/ws/events?types=alert.firing"), ADMIN, frames, new AtomicInteger(), new AtomicReference<>());
      assertThat(ws.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
      assertThat(s.post("/api/alerts/test", ADMIN, "{\"reason\":\"checking the pager\"}").status()).isEqualTo(202);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !frames.isEmpty());
      JsonNode e = TestServer.JSON.readTree(frames.get(0));
      assertThat(e.path("type").asText()).isEqualTo("alert.firing");
      assertThat(e.path("data").path("test").asBoolean()).isTrue();
      assertThat(e.path("data").path("rule").asText()).isEqualTo("TestAlert");
      assertThat(e.path("data").path("summary").asText()).startsWith("TEST ALERT").contains("checking the pager");
      ws.closeBlocking();
    }
  }
}
