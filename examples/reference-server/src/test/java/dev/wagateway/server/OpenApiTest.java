package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** /openapi.yaml and the router agree: every route is described, every described route exists. */
class OpenApiTest {
  static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @Test
  void theSpecDescribesExactlyTheRoutes() throws Exception {
    try (TestServer s = new TestServer()) {
      TestServer.Reply r = s.get("/openapi.yaml", null);
      assertThat(r.status()).isEqualTo(200);
      JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(r.raw().body());
      assertThat(spec.path("openapi").asText()).startsWith("3.");
      Set<String> described = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
          String method = m.next();
          if (METHODS.contains(method)) {
            described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
            assertThat(p.getValue().path(method).path("responses").isEmpty()).as(method + " " + p.getKey() + " responses")
                .isFalse();
          }
        }
      }
      assertThat(described).isEqualTo(new TreeSet<>(s.server.router().signatures()));
    }
  }
}
