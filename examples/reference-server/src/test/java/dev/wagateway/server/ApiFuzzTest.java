package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import dev.wagateway.testing.JsonArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Arbitrary bodies to every route that reads one, through the real server (issue 12's fuzzing):
 * the answer is a success or a 4xx problem naming what was wrong, never a 500, and the server stays
 * up.
 */
class ApiFuzzTest {
  private static TestServer s;
  private static String webhookId;

  private static final List<String> ROUTES = List.of(
      "POST /api/sessions", "POST /api/sessions/a/messages", "POST /api/sessions/a/read",
      "POST /api/webhooks", "PUT /api/webhooks/{webhook}", "POST /api/dead-letters/replay",
      "POST /api/alerts/ack", "POST /api/alerts/silences", "POST /api/sessions/import",
      "POST /api/dev/sessions/a/faults", "POST /api/dev/sessions/nobody/scan");

  private static final List<String> NAMES = List.of("id", "to", "type", "text", "url", "eventTypes", "sessionId",
      "secret", "headers", "chat", "messageId", "typing", "rule", "session", "until", "reason", "sessions",
      "phoneNumber", "latency", "failSends", "media", "caption", "enabled", "signatureMode", "limit", "since",
      "pairing", "autoStart", "priority", "notBefore", "");

  @BeforeContainer
  static void start() throws Exception {
    // no rate limit here: 800 calls in a few seconds would otherwise be mostly 429s
    s = new TestServer(java.util.Map.of("WA_RATE_LIMIT", "1000000", "WA_RATE_LIMIT_BURST", "1000000"));
    s.pair("a", "+491701234567");
    webhookId = s.post("/api/webhooks", TestServer.ADMIN, "{\"url\":\"http://127.0.0.1:9/hook\"}").body()
        .get("id").asText();
  }

  @AfterContainer
  static void stop() {
    s.close();
  }

  /** Bodies each route takes, so successes are reached too (the coverage check below). */
  private static final List<String[]> GOOD = List.of(
      new String[] {"POST /api/sessions/a/messages", "{\"to\":\"+491701234567\",\"text\":\"hi\"}"},
      new String[] {"POST /api/sessions/a/messages", "{\"to\":\"+441234567890\",\"type\":\"location\","
          + "\"latitude\":1,\"longitude\":2}"},
      new String[] {"POST /api/webhooks", "{\"url\":\"https://example.com/hook\",\"eventTypes\":[\"message.status\"]}"},
      new String[] {"POST /api/dead-letters/replay", "{}"},
      new String[] {"POST /api/sessions/a/read", "{\"chat\":\"491701234567@s.whatsapp.net\",\"messageId\":\"x\"}"});

  @Property(tries = 800)
  void everyBodyGetsASuccessOrAProblemNeverA500(@ForAll("calls") String[] call) throws Exception {
    String route = call[0];
    String body = call[1];
    String[] parts = route.replace("{webhook}", webhookId).split(" ");
    TestServer.Reply r = s.call(parts[0], parts[1], TestServer.ADMIN, body);
    Statistics.collect(r.status() / 100 + "xx");
    assertThat(r.status()).as("%s with %s", route, body).isLessThan(500);
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type")).contains("problem+json");
      assertThat(r.body().path("title").asText()).isNotBlank();
    }
    Statistics.coverage(c -> c.check("2xx").percentage(p -> p >= 10));
  }

  @Property(tries = 1)
  void theServerIsStillHealthyAfterwards() throws Exception {
    assertThat(s.get("/health/live", null).status()).isEqualTo(200);
    assertThat(s.get("/api/sessions/a", TestServer.ADMIN).body().path("state").asText()).isNotBlank();
  }

  @Provide
  Arbitrary<String[]> calls() {
    Arbitrary<String[]> random = net.jqwik.api.Combinators.combine(Arbitraries.of(ROUTES), bodies())
        .as((r, b) -> new String[] {r, b});
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, random), net.jqwik.api.Tuple.of(1, Arbitraries.of(GOOD)));
  }

  Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, json(3).map(JsonNode::toString)),
        net.jqwik.api.Tuple.of(3, Arbitraries.of(
            "{\"id\":\"s-fuzz\"}", "{\"to\":\"+491701234567\",\"text\":\"hi\"}",
            "{\"url\":\"https://example.com/hook\",\"eventTypes\":[\"message.status\"]}",
            "{\"chat\":\"491701234567@s.whatsapp.net\",\"messageId\":\"x\"}", "{}", "[]", "null", "1")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(60)));
  }

  private Arbitrary<JsonNode> json(int depth) {
    return JsonArbitraries.value(NAMES, List.of("+491701234567", "a", "s-fuzz", "https://example.com/hook",
        "http://127.0.0.1:9/x", "message.status", "2030-01-01T00:00:00Z", "1h", "text", "image", "true"), depth, 4);
  }
}
