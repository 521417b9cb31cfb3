package dev.wagateway.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.session.SessionState;
import dev.wagateway.webhook.DeliveryFilter;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhook.WebhookSubscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example app on a random port: Actuator's health shows the wa components (and answers 200 when
 * a session makes it DEGRADED), the Prometheus endpoint shows whatsapp_* metrics after a send, and
 * the app's own receiver accepts a real signed delivery and refuses an unsigned one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BootAppTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  @LocalServerPort int port;
  @Autowired WaGateway gateway;
  @Autowired SimulatedNetwork network;
  @Autowired WebhookReceiver receiver;
  @Value("${app.webhook.secret}") String secret;

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthMetricsAndASignedDeliveryOnARealServer() throws Exception {
    // the configured subscription points at port 8080; this test's server has another one
    for (WebhookSubscription s : gateway.webhooks().list()) {
      gateway.webhooks().delete(s.id());
    }
    WebhookSubscription hook = gateway.webhooks().create(SubscriptionRequest.builder("http://127.0.0.1:" + port + "/webhook")
        .secret(WebhookSecret.parse("secret", secret)).eventTypes(Set.of("message.status")).build());

    // wa.sessions=sales was created at start-up; pair it on the simulated network
    await().atMost(Duration.ofSeconds(10)).until(() -> network.currentQr("sales") != null);
    network.scan(network.currentQr("sales"), "+49 170 1111111");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.sessions().require("sales").state() == SessionState.CONNECTED);

    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode h = JSON.readTree(health.body());
    assertThat(h.path("status").asText()).isEqualTo("UP");
    assertThat(h.path("components").path("wa").path("status").asText()).isEqualTo("UP");
    for (String c : List.of("gateway", "scheduler", "stores", "sessions", "queue", "webhooks")) {
      assertThat(h.path("components").path("wa").path("components").has(c)).as(c).isTrue();
    }
    JsonNode readiness = JSON.readTree(get("/actuator/health/readiness").body());
    assertThat(readiness.path("components").path("wa").path("components").has("stores")).isTrue();
    JsonNode liveness = JSON.readTree(get("/actuator/health/liveness").body());
    assertThat(liveness.path("components").path("wa").path("components").has("scheduler")).isTrue();

    HttpResponse<String> sent = post("/send", "{\"session\":\"sales\",\"to\":\"+44 7700 900222\",\"text\":\"hello\"}");
    assertThat(sent.statusCode()).isEqualTo(202);
    String id = JSON.readTree(sent.body()).path("id").asText();
    HttpResponse<String> bad = post("/send", "{\"session\":\"sales\",\"to\":\"12345\",\"text\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("to");

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.message(id).orElseThrow().status().name().equals("READ"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
        .contains("whatsapp_messages_sent_total{session=\"sales\",type=\"text\"} 1.0")
        .contains("whatsapp_connection_status{session=\"sales\"} 1.0")
        .contains("whatsapp_queue_processing_duration_seconds_bucket"));

    // the receiver verified real signed deliveries: every status of the message, all 204
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.seen().size() >= 5);
    List<WebhookDelivery> log = gateway.webhooks().deliveries(DeliveryFilter.of(hook.id()));
    assertThat(log).isNotEmpty().allSatisfy(d -> {
      assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED);
      assertThat(d.log().get(0).statusCode()).isEqualTo(204);
    });
    assertThat(post("/webhook", "{\"id\":\"evt_forged\"}").statusCode()).as("unsigned").isEqualTo(401);

    // a logged-out session degrades the service; probes stay 200
    gateway.sessions().logout("sales");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> degraded = get("/actuator/health");
      assertThat(degraded.statusCode()).isEqualTo(200);
      JsonNode d = JSON.readTree(degraded.body());
      assertThat(d.path("components").path("wa").path("components").path("sessions").path("status").asText())
          .isEqualTo("DEGRADED");
      assertThat(d.path("status").asText()).isEqualTo("DEGRADED");
    });
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }
}
