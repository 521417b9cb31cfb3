package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A reference server on free ports with known keys, and a small HTTP client for it. */
final class TestServer implements AutoCloseable {
  static final String ADMIN = "admin-key-for-tests-0001";
  static final String KEY_A = "session-a-key-for-tests-01";
  static final String KEY_B = "session-b-key-for-tests-01";
  static final ObjectMapper JSON = new ObjectMapper();
  final ReferenceServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  TestServer() throws Exception {
    this(Map.of());
  }

  TestServer(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("WA_PORT", "0", "WA_WS_PORT", "0", "WA_HOST", "127.0.0.1",
        "WA_API_KEYS", "admin:" + ADMIN + ",session:a:" + KEY_A + ",session:b:" + KEY_B,
        "WA_PACING_RATE", "0", "WA_RECIPIENT_GAP", "0s", "WA_WEBHOOK_ALLOW_PRIVATE", "true",
        "WA_SHUTDOWN_TIMEOUT", "1s"));
    // the default store, SQLite, in a file of this server's own
    env.put("WA_DB_PATH", java.nio.file.Files.createTempDirectory("wa-server").resolve("wa.db").toString());
    env.putAll(extra);
    server = new ReferenceServer(ServerConfig.load(env)).start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  Reply call(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode n = null;
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (type.contains("json") && r.body().length > 0) {
      n = JSON.readTree(r.body());
    }
    return new Reply(r.statusCode(), n, r);
  }

  Reply get(String path, String key) throws Exception {
    return call("GET", path, key, null);
  }

  Reply post(String path, String key, String body) throws Exception {
    return call("POST", path, key, body);
  }

  /** Creates a session, scans its QR through the dev endpoint and waits until it is CONNECTED. */
  void pair(String session, String phone) throws Exception {
    assertThat(post("/api/sessions", ADMIN, "{\"id\":\"" + session + "\"}").status()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/sessions/" + session + "/qr", ADMIN).status() == 200);
    assertThat(post("/api/dev/sessions/" + session + "/scan", ADMIN, "{\"phoneNumber\":\"" + phone + "\"}").status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        get("/api/sessions/" + session, ADMIN).body().path("state").asText().equals("CONNECTED"));
  }

  @Override
  public void close() {
    server.close();
  }
}
