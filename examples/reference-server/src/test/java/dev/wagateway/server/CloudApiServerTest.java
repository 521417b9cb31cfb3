package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.wagateway.ValidationException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WA_ENGINE=cloudapi end to end: REST sends reach a local Graph API, Meta's webhook route takes signed posts. */
class CloudApiServerTest {
  static final String SECRET = "server-app-secret-1";
  static final String VERIFY = "server-verify-token";
  static final String TOKEN = "EAAG-server-test-token-123";
  static final byte[] PHOTO = photo();

  static byte[] photo() {
    byte[] b = new byte[80_000];
    new java.util.Random(3).nextBytes(b);
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    return b;
  }
  HttpServer graph;
  final List<String> sent = new CopyOnWriteArrayList<>();
  TestServer s;

  @BeforeEach
  void setUp() throws Exception {
    graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    graph.createContext("/", x -> {
      byte[] in = x.getRequestBody().readAllBytes();
      String path = x.getRequestURI().getPath();
      String body;
      if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
        body = "{\"error\":{\"code\":190,\"message\":\"bad token\"}}";
        x.sendResponseHeaders(401, body.length());
      } else if (path.equals("/v26.0/888")) {
        body = "{\"url\":\"http://127.0.0.1:" + graph.getAddress().getPort() + "/files/888\",\"mime_type\":\"image/jpeg\","
            + "\"file_size\":" + PHOTO.length + ",\"id\":\"888\"}";
        x.sendResponseHeaders(200, body.length());
      } else if (path.equals("/files/888")) {
        x.sendResponseHeaders(200, PHOTO.length);
        x.getResponseBody().write(PHOTO);
        x.close();
        return;
      } else if (path.equals("/v26.0/1001")) {
        body = "{\"display_phone_number\":\"+1 555 010 0001\",\"quality_rating\":\"GREEN\",\"id\":\"1001\"}";
        x.sendResponseHeaders(200, body.length());
      } else {
        sent.add(new String(in, StandardCharsets.UTF_8));
        body = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.srv" + sent.size() + "\"}]}";
        x.sendResponseHeaders(200, body.length());
      }
      x.getResponseBody().write(body.getBytes(StandardCharsets.UTF_8));
      x.close();
    });
    graph.start();
    s = new TestServer(Map.of("WA_ENGINE", "cloudapi", "WA_STORE", "memory",
        "WA_CLOUDAPI_BASE_URL", "http://127.0.0.1:" + graph.getAddress().getPort(),
        "WA_CLOUDAPI_APP_SECRET", SECRET, "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY,
        "WA_CLOUDAPI_ACCOUNTS", "a=1001:" + TOKEN, "WA_MEDIA_DIR",
        java.nio.file.Files.createTempDirectory("wa-media").toString()));
  }

  @AfterEach
  void tearDown() {
    s.close();
    graph.stop(0);
  }

  HttpResponse<String> webhook(String method, String query, String body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(ReferenceServer.CLOUDAPI_WEBHOOK_PATH
        + (query == null ? "" : "?" + query))).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      b.header("X-Hub-Signature-256", signature);
    }
    return s.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aTemplateSentThroughRestIsDeliveredPerMetasWebhookPostedToTheServer() throws Exception {
    assertThat(s.post("/api/sessions", TestServer.ADMIN, "{\"id\":\"a\"}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> "CONNECTED".equals(
        s.get("/api/sessions/a", TestServer.ADMIN).body().path("state").asText()));

    JsonNode health = s.get("/health", TestServer.ADMIN).body();
    assertThat(health.toString()).contains("cloudapi");
    assertThat(health.toString()).doesNotContain(TOKEN);

    var bad = s.post("/api/sessions/a/messages", TestServer.KEY_A, "{\"to\":\"+491701234567\",\"type\":\"template\","
        + "\"template\":{\"name\":\"Hello\",\"language\":\"en_US\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().toString()).contains("content.template.name");

    var r = s.post("/api/sessions/a/messages", TestServer.KEY_A, "{\"to\":\"+491701234567\",\"type\":\"template\","
        + "\"template\":{\"name\":\"order_update\",\"language\":\"en_US\",\"components\":[{\"type\":\"body\","
        + "\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"}]}]}}");
    assertThat(r.status()).isEqualTo(202);
    String id = r.body().path("id").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(
        s.get("/api/messages/" + id, TestServer.KEY_A).body().path("status").asText()));
    JsonNode out = TestServer.JSON.readTree(sent.get(0));
    assertThat(out.path("template").path("components").path(0).path("parameters").path(0).path("text").asText())
        .isEqualTo("Ann");

    var read = s.post("/api/sessions/a/read", TestServer.KEY_A,
        "{\"chat\":\"+491701234567\",\"messageId\":\"wamid.in9\",\"typing\":true}");
    assertThat(read.status()).isEqualTo(200);
    JsonNode readBody = TestServer.JSON.readTree(sent.get(sent.size() - 1));
    assertThat(readBody.path("status").asText()).isEqualTo("read");
    assertThat(readBody.path("typing_indicator").path("type").asText()).isEqualTo("text");
    assertThat(s.post("/api/sessions/a/read", TestServer.KEY_A, "{\"chat\":\"+491701234567\",\"messageId\":\"x\","
        + "\"typo\":1}").status()).isEqualTo(400);
    assertThat(s.post("/api/sessions/b/read", TestServer.KEY_A, "{\"chat\":\"+491701234567\",\"messageId\":\"x\"}")
        .status()).as("another session's key").isIn(403, 404);

    var handshake = webhook("GET", "hub.mode=subscribe&hub.verify_token=" + VERIFY + "&hub.challenge=4242", null, null);
    assertThat(handshake.statusCode()).isEqualTo(200);
    assertThat(handshake.body()).isEqualTo("4242");
    assertThat(webhook("GET", "hub.mode=subscribe&hub.verify_token=nope-nope&hub.challenge=4242", null, null)
        .statusCode()).isEqualTo(403);

    String status = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1001\"},"
        + "\"statuses\":[{\"id\":\"wamid.srv1\",\"status\":\"delivered\",\"timestamp\":\"1764583200\","
        + "\"recipient_id\":\"491701234567\"}]}}]}]}";
    assertThat(webhook("POST", null, status, "sha256=00").statusCode()).isEqualTo(403);
    assertThat(webhook("POST", null, status, null).statusCode()).isEqualTo(401);
    assertThat(s.get("/api/messages/" + id, TestServer.KEY_A).body().path("status").asText()).isEqualTo("SENT");
    assertThat(webhook("POST", null, status, sign(status)).statusCode()).isEqualTo(200);
    assertThat(s.get("/api/messages/" + id, TestServer.KEY_A).body().path("status").asText()).isEqualTo("DELIVERED");
  }

  @Test
  void anInboundImageIsDownloadedStoredAnnouncedAndServedByteForByte() throws Exception {
    assertThat(s.post("/api/sessions", TestServer.ADMIN, "{\"id\":\"a\"}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> "CONNECTED".equals(
        s.get("/api/sessions/a", TestServer.ADMIN).body().path("state").asText()));
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1001\"},"
        + "\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.photo\",\"timestamp\":\"1764583200\","
        + "\"type\":\"image\",\"image\":{\"mime_type\":\"image/jpeg\",\"id\":\"888\"}}]}}]}]}";
    assertThat(webhook("POST", null, body, sign(body)).statusCode()).isEqualTo(200);
    String id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(PHOTO));
    HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(s.uri("/api/media/" + id))
        .header("Authorization", "Bearer " + TestServer.KEY_A).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).as("byte-identical through download, store and API").isEqualTo(PHOTO);
  }

  @Test
  void theCloudApiSettingsAreCheckedAndNamed() {
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("WA_CLOUDAPI_APP_SECRET");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", SECRET,
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=1001"))).hasMessageContaining("WA_CLOUDAPI_ACCOUNTS");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", SECRET,
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=abc:" + TOKEN)))
        .hasMessageContaining("phone number id").extracting(e -> ((ValidationException) e).field())
        .isEqualTo("WA_CLOUDAPI_ACCOUNTS");
    // the Cloud API builder's own checks come out named as the variable an operator sets, tokens left out
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", SECRET,
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=1001:short")))
        .hasMessageContaining("access token").hasMessageNotContaining("short")
        .extracting(e -> ((ValidationException) e).field()).isEqualTo("WA_CLOUDAPI_ACCOUNTS");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", SECRET,
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=1001:" + TOKEN, "WA_CLOUDAPI_BASE_URL",
        "ftp://graph.example"))).extracting(e -> ((ValidationException) e).field()).isEqualTo("WA_CLOUDAPI_BASE_URL");
    assertThatThrownBy(() -> ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", "short",
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=1001:" + TOKEN)))
        .extracting(e -> ((ValidationException) e).field()).isEqualTo("WA_CLOUDAPI_APP_SECRET");
    ServerConfig ok = ServerConfig.load(Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", SECRET,
        "WA_CLOUDAPI_VERIFY_TOKEN", VERIFY, "WA_CLOUDAPI_ACCOUNTS", "a=1001:" + TOKEN + ", b=1002:" + TOKEN));
    assertThat(ok.cloudApi().accounts()).containsOnlyKeys("a", "b");
    assertThat(ok.toString() + ok.cloudApi()).doesNotContain(TOKEN).doesNotContain(SECRET).doesNotContain(VERIFY);
  }
}
