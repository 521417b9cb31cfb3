package dev.wagateway.web.binary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.web.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The vectors' JSON form of a node: content array = children, string = text, {hex} = bytes. */
public final class JsonNodes {
  private JsonNodes() {}

  public static Node toNode(JsonNode json) {
    Map<String, String> attrs = new LinkedHashMap<>();
    json.path("attrs").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
    JsonNode content = json.get("content");
    String tag = json.get("tag").asText();
    if (content == null || content.isNull()) {
      return Node.of(tag, attrs);
    }
    if (content.isArray()) {
      List<Node> children = new ArrayList<>();
      content.forEach(c -> children.add(toNode(c)));
      return Node.of(tag, attrs, children);
    }
    if (content.isTextual()) {
      return Node.ofText(tag, attrs, content.asText());
    }
    return Node.of(tag, attrs, Vectors.hex(content.get("hex")));
  }
}
