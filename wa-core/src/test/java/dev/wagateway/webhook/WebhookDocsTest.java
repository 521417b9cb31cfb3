package dev.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.event.GatewayEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/webhooks.md documents every event type with a body in the real envelope. */
class WebhookDocsTest {

  @Test
  void everyEventTypeHasAnExampleBodyInTheDocumentedEnvelope() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "webhooks.md"));
    List<String> documented = new ArrayList<>();
    Matcher m = Pattern.compile("### `([a-z_.]+)`\\s+```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
    ObjectMapper json = new ObjectMapper();
    while (m.find()) {
      JsonNode body = json.readTree(m.group(2));
      assertThat(body.fieldNames()).toIterable()
          .containsExactly("id", "type", "timestamp", "session", "data", "version");
      assertThat(body.get("type").asText()).isEqualTo(m.group(1));
      assertThat(body.get("version").asInt()).isEqualTo(WebhookPayloads.VERSION);
      documented.add(m.group(1));
    }
    List<String> types = new ArrayList<>();
    for (Class<?> c : GatewayEvent.class.getPermittedSubclasses()) {
      var ctor = c.getRecordComponents();
      assertThat(ctor).isNotEmpty();
      types.add(typeOf(c));
    }
    assertThat(documented).containsAll(types);
  }

  /** The type name a record reports, read from a default-valued instance. */
  private static String typeOf(Class<?> recordClass) throws Exception {
    var comps = recordClass.getRecordComponents();
    Class<?>[] params = new Class<?>[comps.length];
    Object[] args = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      params[i] = comps[i].getType();
      args[i] = defaultFor(params[i]);
    }
    return ((GatewayEvent) recordClass.getDeclaredConstructor(params).newInstance(args)).type();
  }

  private static Object defaultFor(Class<?> t) {
    if (t == int.class) {
      return 0;
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == double.class) {
      return 0.0;
    }
    if (t == List.class) {
      return List.of();
    }
    return null;
  }
}
