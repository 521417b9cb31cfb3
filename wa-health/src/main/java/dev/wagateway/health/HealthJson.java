package dev.wagateway.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders a report in the documented shape: {@code {"status","timestamp","uptimeSeconds",
 * "checks":{"<name>":{"status","durationMs","details"}}}}; without details, each check has only
 * status and duration.
 */
public final class HealthJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HealthJson() {}

  public static byte[] render(HealthReport r, boolean withDetails) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("status", r.status().name());
    root.put("timestamp", r.timestamp().toString());
    root.put("uptimeSeconds", r.uptimeSeconds());
    ObjectNode checks = root.putObject("checks");
    for (Map.Entry<String, HealthReport.CheckOutcome> e : r.checks().entrySet()) {
      ObjectNode c = checks.putObject(e.getKey());
      c.put("status", e.getValue().status().name());
      c.put("durationMs", e.getValue().durationMs());
      if (withDetails) {
        c.set("details", MAPPER.valueToTree(e.getValue().details()));
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
