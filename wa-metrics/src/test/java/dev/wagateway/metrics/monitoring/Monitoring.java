package dev.wagateway.metrics.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's monitoring/ files, read as the tests need them. */
final class Monitoring {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /** One expression and where it stands, for messages that point at the file. */
  record Expr(String where, String expr) {}

  /** One alert rule of alerts.yml. */
  record Alert(String name, String expr, JsonNode labels, JsonNode annotations) {}

  private Monitoring() {}

  /** The repository root: the first parent of the working directory that has monitoring/. */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("monitoring/prometheus/alerts.yml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no monitoring/prometheus/alerts.yml above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path dir() {
    return root().resolve("monitoring");
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid YAML", e);
    }
  }

  static List<Alert> alerts(Path rulesFile) {
    List<Alert> out = new ArrayList<>();
    for (JsonNode group : yaml(rulesFile).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          out.add(new Alert(rule.path("alert").asText(), rule.path("expr").asText(), rule.path("labels"),
              rule.path("annotations")));
        }
      }
    }
    return out;
  }

  /** Every PromQL expression in the rules file and in every dashboard (targets and variables). */
  static List<Expr> expressions(Path rulesFile, Path dashboardsDir) {
    List<Expr> out = new ArrayList<>();
    for (Alert a : alerts(rulesFile)) {
      out.add(new Expr(rulesFile.getFileName() + " " + a.name(), a.expr()));
    }
    try (Stream<Path> files = Files.list(dashboardsDir)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
        out.addAll(dashboardExpressions(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<Expr> dashboardExpressions(Path file) {
    JsonNode d;
    try {
      d = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid JSON", e);
    }
    List<Expr> out = new ArrayList<>();
    String name = file.getFileName().toString();
    for (JsonNode panel : d.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        out.add(new Expr(name + " panel '" + panel.path("title").asText() + "'", t.path("expr").asText()));
      }
    }
    for (JsonNode v : d.path("templating").path("list")) {
      if ("query".equals(v.path("type").asText())) {
        JsonNode q = v.path("query");
        out.add(new Expr(name + " variable " + v.path("name").asText(), q.isObject() ? q.path("query").asText() : q.asText()));
      }
    }
    return out;
  }
}
