package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets the right 4xx as application/problem+json, naming the field. */
class ProblemResponsesTest {
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer(Map.of("WA_MAX_BODY_BYTES", "4096", "WA_RATE_LIMIT", "100000", "WA_RATE_LIMIT_BURST", "100000"));
    s.pair("a", "+49 170 1111111");
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static void assertProblem(TestServer.Reply r, int status, String field, String detailPart) {
    assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(status);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.body().path("status").asInt()).isEqualTo(status);
    assertThat(r.body().path("title").asText()).isNotBlank();
    assertThat(r.body().path("requestId").asText()).isEqualTo(r.header("X-Request-Id"));
    if (field != null) {
      assertThat(r.body().path("field").asText()).isEqualTo(field);
    } else {
      assertThat(r.body().has("field")).isFalse();
    }
    assertThat(r.body().path("detail").asText()).contains(detailPart);
  }

  @Test
  void malformedJson() throws Exception {
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\": \"+44 7700 900222\", "), 400, null,
        "not valid JSON");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "[1, 2]"), 400, null, "must be a JSON object");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, ""), 400, null, "empty");
  }

  @Test
  void missingAndMistypedFields() throws Exception {
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"text\":\"hi\"}"), 400, "to", "required");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\"}"), 400, "text", "required");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":5}"), 400, "text",
        "must be a string");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"x\",\"notbefore\":\"x\"}"),
        400, "notbefore", "unknown field");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"x\",\"notBefore\":\"tomorrow\"}"),
        400, "notBefore", "ISO-8601");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"type\":\"fax\"}"), 400, "type",
        "unknown message type");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN,
        "{\"to\":\"+44 7700 900222\",\"type\":\"image\",\"media\":{\"data\":\"aGk=\",\"mimeType\":\"text/plain\"}}"),
        400, "content.media", "");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN,
        "{\"to\":\"+44 7700 900222\",\"type\":\"location\",\"latitude\":91,\"longitude\":0}"), 400, "content.latitude",
        "between -90 and 90");
    assertProblem(s.post("/api/sessions", ADMIN, "{\"id\":\"has space\"}"), 400, "id", "session id");
    assertProblem(s.post("/api/sessions", ADMIN, "{\"id\":\"p\",\"pairing\":\"code\",\"phoneNumber\":\"123\"}"), 400,
        "phoneNumber", "digits");
    assertProblem(s.post("/api/sessions", ADMIN, "{\"id\":\"p\",\"pairing\":\"sms\"}"), 400, "pairing", "qr, code");
    assertProblem(s.post("/api/sessions", ADMIN, "{\"id\":\"p\",\"colour\":\"red\"}"), 400, "colour", "unknown field");
    assertProblem(s.post("/api/webhooks", ADMIN, "{\"url\":\"ftp://example.com/x\"}"), 400, "url", "");
  }

  @Test
  void invalidPhoneNumbers() throws Exception {
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"0170 1234567\",\"text\":\"x\"}"), 400, "to",
        "country code");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"12345\",\"text\":\"x\"}"), 400, "to", "digits");
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+49 abc\",\"text\":\"x\"}"), 400, "to", "");
  }

  @Test
  void oversizedBodies() throws Exception {
    String big = "{\"to\":\"+44 7700 900222\",\"text\":\"" + "x".repeat(5000) + "\"}";
    assertProblem(s.post("/api/sessions/a/messages", ADMIN, big), 413, null, "larger than 4096 bytes");
    // chunked, without a Content-Length: the limit holds while reading
    HttpRequest r = HttpRequest.newBuilder(s.uri("/api/sessions/a/messages")).header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build();
    HttpResponse<String> resp = s.http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(413);
  }

  @Test
  void unknownSessionsMessagesAndRoutes() throws Exception {
    assertProblem(s.post("/api/sessions/nobody/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"x\"}"), 404,
        null, "no session 'nobody'");
    assertProblem(s.get("/api/sessions/nobody", ADMIN), 404, null, "nobody");
    assertProblem(s.get("/api/messages/msg_nope", ADMIN), 404, null, "no message");
    assertProblem(s.get("/api/nothing-here", ADMIN), 404, null, "no route");
    TestServer.Reply wrongMethod = s.call("PATCH", "/api/sessions", ADMIN, null);
    assertProblem(wrongMethod, 405, null, "allowed: GET, POST");
    assertProblem(s.post("/api/sessions", ADMIN, "{\"id\":\"a\"}"), 409, null, "a");
  }

  @Test
  void wrongOrMissingKeys() throws Exception {
    TestServer.Reply none = s.get("/api/sessions", null);
    assertProblem(none, 401, null, "API key");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(s.get("/api/sessions", "not-a-key-of-this-server"), 401, null, "API key");
    assertProblem(s.get("/api/sessions", ""), 401, null, "API key");
  }

  @Test
  void wrongContentType() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(s.uri("/api/sessions/a/messages")).header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("to=+447700900222")).build();
    HttpResponse<String> resp = s.http.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(415);
    assertThat(resp.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void randomlyMangledBodiesNeverGiveA500() throws Exception {
    java.util.Random rnd = new java.util.Random(20261201);
    String[] fields = {"to", "type", "text", "media", "caption", "latitude", "longitude", "phoneNumbers", "emoji",
        "notBefore", "priority", "idempotencyKey", "fileName", "displayName", "x"};
    String[] values = {"\"+44 7700 900222\"", "\"image\"", "\"location\"", "\"contact\"", "\"reaction\"", "5",
        "-1e308", "true", "null", "[]", "[1,\"a\"]", "{}", "{\"url\":\"http://x\"}", "{\"data\":\"@@\",\"mimeType\":\"image/png\"}",
        "\"\"", "\"\\u0000\"", "\"2026-13-01T00:00:00Z\"", "\"" + "y".repeat(5000) + "\"", "99999999999999999999999"};
    java.util.Map<Integer, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder("{");
      int n = rnd.nextInt(6);
      for (int f = 0; f < n; f++) {
        b.append(f == 0 ? "" : ",").append('"').append(fields[rnd.nextInt(fields.length)]).append("\":")
            .append(values[rnd.nextInt(values.length)]);
      }
      b.append('}');
      String body = b.toString();
      if (rnd.nextInt(5) == 0) {
        body = body.substring(0, rnd.nextInt(body.length() + 1)); // truncated
      }
      TestServer.Reply r = s.post("/api/sessions/a/messages", ADMIN, body);
      seen.merge(r.status(), 1, Integer::sum);
      assertThat(r.status()).as(body).isIn(202, 400, 413);
      if (r.status() != 202) {
        assertThat(r.header("Content-Type")).as(body).isEqualTo("application/problem+json");
      }
    }
    assertThat(seen).containsKey(400);
  }

  @Test
  void badQueryParameters() throws Exception {
    assertProblem(s.get("/api/dead-letters?limit=0", ADMIN), 400, "limit", "between 1 and 10000");
    assertProblem(s.get("/api/dead-letters?since=yesterday", ADMIN), 400, "since", "ISO-8601");
    assertProblem(s.get("/api/dead-letters?failureType=BAD", ADMIN), 400, "failureType", "TRANSIENT");
    assertProblem(s.get("/api/sessions/a/qr.png?size=5000", ADMIN), 400, "size", "");
  }
}
