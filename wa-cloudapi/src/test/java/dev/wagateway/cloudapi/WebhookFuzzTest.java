package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.session.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import dev.wagateway.testing.JsonArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever Meta (or someone holding the app secret) posts, correctly signed: the handler answers
 * with a status and never throws, and the session stays connected (issue 12's fuzzing).
 */
class WebhookFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ANSWERS = Set.of(200, 400, 413, 503);
  private static CloudHarness h;

  @BeforeContainer
  static void start() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
  }

  @AfterContainer
  static void stop() {
    h.close();
  }

  @Property(tries = 1500)
  void mutatedEnvelopesAreAnsweredAndNeverBreakTheSession(@ForAll("envelopes") String body) {
    int status = h.post(body).status();
    assertThat(status).isIn(ANSWERS);
    Statistics.collect(status);
    Statistics.coverage(c -> c.check(200).percentage(p -> p >= 30));
    assertThat(h.gateway.sessions().require("sales").state()).isEqualTo(SessionState.CONNECTED);
  }

  @Property(tries = 500)
  void arbitraryBytesAreAnsweredToo(@ForAll byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    assertThat(h.post(text).status()).isIn(ANSWERS);
  }

  private static final List<String> VALUES = List.of(
      CloudApiWebhookTest.textMessage("wamid.f1", "491701234567", "hello"),
      "\"statuses\":[" + CloudApiWebhookTest.status("wamid.out1", "delivered", 1764583300) + "]",
      "\"statuses\":[" + CloudApiWebhookTest.status("wamid.out2", "failed", 1764583300) + "]",
      "\"contacts\":[{\"wa_id\":\"491701234567\"}],\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.f2\","
          + "\"timestamp\":\"1764583200\",\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.x\",\"emoji\":\"x\"}}]",
      "\"contacts\":[{\"wa_id\":\"491701234567\"}],\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.f3\","
          + "\"timestamp\":\"1764583200\",\"type\":\"image\",\"image\":{\"id\":\"1234\",\"mime_type\":\"image/jpeg\"}}]",
      "\"contacts\":[{\"wa_id\":\"491701234567\"}],\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.f4\","
          + "\"timestamp\":\"1764583200\",\"type\":\"location\",\"location\":{\"latitude\":52.5,\"longitude\":13.4}}]");

  private static final List<String> NAMES = List.of("object", "entry", "changes", "value", "field", "messages",
      "statuses", "contacts", "metadata", "phone_number_id", "from", "id", "timestamp", "type", "text", "body",
      "status", "recipient_id", "errors", "code", "wa_id", "profile", "name", "image", "mime_type", "reaction",
      "message_id", "emoji", "location", "latitude", "user_id", "context", "unknown");

  @Provide
  Arbitrary<String> envelopes() {
    Arbitrary<String> phone = Arbitraries.of("1001", "1002", "9999", "");
    Arbitrary<ObjectNode> base = Combinators.combine(phone, Arbitraries.of(VALUES))
        .as((p, v) -> parse(CloudApiWebhookTest.envelope(p, v)));
    Arbitrary<List<String>> paths = Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<List<Object[]>> mutations = Combinators.combine(paths, value(2), Arbitraries.integers().between(0, 2))
        .as((p, v, k) -> new Object[] {p, v, k}).list().ofMaxSize(4);
    return Combinators.combine(base, mutations, Arbitraries.integers().between(0, 3)).as((b, ms, keep) -> {
      if (keep > 0) {
        for (Object[] m : ms) {
          @SuppressWarnings("unchecked")
          List<String> path = (List<String>) m[0];
          mutate(b, path, (JsonNode) m[1], (Integer) m[2]);
        }
      }
      return b.toString();
    });
  }

  /** Walks into the first array element or object field along the names, then changes what it finds. */
  private static void mutate(JsonNode root, List<String> path, JsonNode value, int kind) {
    JsonNode node = root;
    for (int i = 0; i < path.size() - 1 && node != null; i++) {
      JsonNode next = node.isArray() && node.size() > 0 ? node.get(0) : node.get(path.get(i));
      node = next == null ? node : next;
    }
    if (node instanceof ArrayNode a && a.size() > 0) {
      node = a.get(0);
    }
    if (node instanceof ObjectNode o) {
      String name = path.get(path.size() - 1);
      if (kind == 0) {
        o.remove(name);
      } else {
        o.set(name, value);
      }
    }
  }

  private Arbitrary<JsonNode> value(int depth) {
    return JsonArbitraries.value(NAMES, List.of("491701234567", "1764583200", "-1", "", "text", "image",
        "delivered", "read", "failed", "whatsapp_business_account", "messages", "wamid.z",
        "99999999999999999999"), depth, 1);
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
