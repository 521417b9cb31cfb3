package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.ValidationException;
import dev.wagateway.message.MessageRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import dev.wagateway.testing.JsonArbitraries;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Every outside input of the reference server — message bodies and configuration — gets a result
 * or a clear error naming the field, never another exception (issue 12's fuzzing).
 */
class InputFuzzTest {

  /** Field names the parser knows, plus strangers. */
  private static final List<String> FIELDS;

  static {
    TreeSet<String> names = new TreeSet<>(MessageBodies.COMMON);
    MessageBodies.CONTENT_FIELDS.values().forEach(names::addAll);
    names.addAll(List.of("components", "name", "language", "url", "id", "data", "mimeType", "rows", "sections",
        "title", "body", "footer", "header", "Text", "to ", ""));
    FIELDS = List.copyOf(names);
  }

  @Property(tries = 3000)
  void messageBodiesGiveARequestOrAFieldError(@ForAll("bodies") ObjectNode body) {
    String outcome;
    try {
      MessageRequest r = MessageBodies.parse("sales", body);
      assertThat(r.sessionId()).isEqualTo("sales");
      assertThat(r.content()).isNotNull();
      outcome = "request";
    } catch (ApiException e) {
      assertThat(e.status).isEqualTo(400);
      assertThat(e.getMessage()).isNotBlank();
      outcome = "field error";
    } catch (ValidationException e) {
      assertThat(e.field()).isNotBlank();
      outcome = "field error";
    }
    Statistics.collect(outcome);
    // the generator must reach both sides, or the property proves little
    Statistics.coverage(c -> {
      c.check("request").percentage(pct -> pct >= 20);
      c.check("field error").percentage(pct -> pct >= 20);
    });
  }

  @Property(tries = 1500)
  void configurationGivesAConfigOrNamesTheVariable(@ForAll("environments") Map<String, String> env) {
    String outcome;
    try {
      ServerConfig c = ServerConfig.load(env);
      assertThat(c.port()).isBetween(0, 65535);
      outcome = "config";
    } catch (ValidationException e) {
      assertThat(e.field()).startsWith("WA_");
      outcome = "variable named";
    }
    Statistics.collect(outcome);
    Statistics.coverage(c -> {
      c.check("config").percentage(pct -> pct >= 5);
      c.check("variable named").percentage(pct -> pct >= 5);
    });
  }

  /** Well-formed bodies of several types, then up to three mutations each. */
  private static final List<String> VALID = List.of(
      "{\"to\":\"+491701234567\",\"text\":\"hello\"}",
      "{\"to\":\"+491701234567\",\"type\":\"text\",\"text\":\"hello\",\"previewUrl\":true,\"priority\":\"high\"}",
      "{\"to\":\"491701234567@s.whatsapp.net\",\"type\":\"reaction\",\"targetMessageId\":\"3EB0C431D5E8A1F2\",\"emoji\":\"x\"}",
      "{\"to\":\"+491701234567\",\"type\":\"location\",\"latitude\":52.5,\"longitude\":13.4,\"name\":\"Berlin\"}",
      "{\"to\":\"+491701234567\",\"type\":\"image\",\"media\":{\"url\":\"https://example.com/a.jpg\"},\"caption\":\"c\"}",
      "{\"to\":\"+491701234567\",\"type\":\"document\",\"media\":{\"url\":\"https://example.com/a.pdf\"},\"fileName\":\"a.pdf\"}",
      "{\"to\":\"+491701234567\",\"type\":\"contact\",\"displayName\":\"Ann\",\"phoneNumbers\":[\"+491701234567\"]}",
      "{\"to\":\"+491701234567\",\"text\":\"later\",\"notBefore\":\"2030-01-01T00:00:00Z\",\"idempotencyKey\":\"k-1\"}");

  @Provide
  Arbitrary<ObjectNode> bodies() {
    Arbitrary<ObjectNode> base = Arbitraries.of(VALID).map(InputFuzzTest::parse);
    Arbitrary<List<Mutation>> mutations = Combinators.combine(Arbitraries.integers().between(0, 2),
        Arbitraries.of(FIELDS), value(2)).as(Mutation::new).list().ofMaxSize(3);
    return Combinators.combine(base, mutations, Arbitraries.integers().between(0, 9)).as((b, ms, keep) -> {
      if (keep < 3) {
        return b; // a third of the tries stay well-formed
      }
      for (Mutation m : ms) {
        switch (m.kind()) {
          case 0 -> b.remove(m.field());
          case 1 -> b.set(m.field(), m.value());
          default -> {
            var names = new ArrayList<String>();
            b.fieldNames().forEachRemaining(names::add);
            if (!names.isEmpty()) {
              b.set(names.get(Math.floorMod(m.field().hashCode(), names.size())), m.value());
            }
          }
        }
      }
      return b;
    });
  }

  record Mutation(int kind, String field, JsonNode value) {}

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Arbitrary<JsonNode> value(int depth) {
    return JsonArbitraries.value(FIELDS, List.of("+491701234567", "491701234567@s.whatsapp.net",
        "2026-12-01T10:00:00Z", "1h", "high", "https://example.com/a.jpg", "hello", "", "NaN", "-1",
        "3EB0C431D5E8A1F2"), depth, 1);
  }

  @Provide
  Arbitrary<Map<String, String>> environments() {
    List<String> keys = new ArrayList<>(ServerConfig.KNOWN);
    keys.add("WA_NOT_A_SETTING");
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("0", "1", "-1", "65536", "8080", "true", "false", "yes", "10s", "1d", "PT5S", "sqlite",
            "memory", "postgresql", "cloudapi", "web", "simulated", "jdbc:postgresql://db/wa", "ws://x",
            "admin:aaaaaaaaaaaaaaaaaaaa", "AAAAAAAAAAAAAAAAAAAAAA==", "hc5", "json", "s3", "off", "filesystem",
            "https://wa.example.com", "sales=1001:token-token-token"));
    // a third start from a working S3 or Cloud API setting, so their builders' own checks are reached
    Arbitrary<Map<String, String>> bases = Arbitraries.of(Map.of(),
        Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media"),
        Map.of("WA_ENGINE", "cloudapi", "WA_CLOUDAPI_APP_SECRET", "app-secret-1", "WA_CLOUDAPI_VERIFY_TOKEN",
            "verify-token-1", "WA_CLOUDAPI_ACCOUNTS", "sales=1001:token-token-token"));
    return Combinators.combine(bases, Arbitraries.maps(Arbitraries.of(keys), values).ofMaxSize(6))
        .as((base, changes) -> {
          Map<String, String> env = new HashMap<>(base);
          env.putAll(changes);
          return env;
        });
  }

}
