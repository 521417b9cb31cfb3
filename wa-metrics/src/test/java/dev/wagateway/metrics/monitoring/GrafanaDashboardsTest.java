package dev.wagateway.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboards load as Grafana expects them: the shape, not only that the JSON parses. */
class GrafanaDashboardsTest {
  static final Path GRAFANA = Monitoring.dir().resolve("grafana");

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> s = Files.list(GRAFANA.resolve("dashboards"))) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void theFourDashboardsAreThereWithUniqueUids() throws IOException {
    Set<String> uids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (Path p : dashboards()) {
      JsonNode d = Monitoring.JSON.readTree(p.toFile());
      assertThat(uids.add(d.path("uid").asText())).as("unique uid in " + p).isTrue();
      titles.add(d.path("title").asText());
    }
    assertThat(titles).containsExactlyInAnyOrder("wa-gateway / Overview", "wa-gateway / Queue",
        "wa-gateway / Webhooks", "wa-gateway / JVM");
  }

  @Test
  void everyPanelHasAPlaceAQueryAndTheDashboardsDataSource() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path p : dashboards()) {
      JsonNode d = Monitoring.JSON.readTree(p.toFile());
      String f = p.getFileName().toString();
      boolean hasDsVariable = false;
      for (JsonNode v : d.path("templating").path("list")) {
        hasDsVariable |= "datasource".equals(v.path("type").asText()) && "datasource".equals(v.path("name").asText());
      }
      if (!hasDsVariable) {
        problems.add(f + ": no 'datasource' variable");
      }
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : d.path("panels")) {
        String where = f + " '" + panel.path("title").asText() + "'";
        if (!ids.add(panel.path("id").asInt(-1))) {
          problems.add(where + ": duplicate or missing id");
        }
        JsonNode g = panel.path("gridPos");
        if (g.path("w").asInt() <= 0 || g.path("h").asInt() <= 0 || g.path("x").asInt() + g.path("w").asInt() > 24) {
          problems.add(where + ": gridPos " + g);
        }
        if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
          problems.add(where + ": datasource is not ${datasource}");
        }
        if (panel.path("targets").isEmpty()) {
          problems.add(where + ": no query");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : panel.path("targets")) {
          if (t.path("expr").asText().isBlank() || !refIds.add(t.path("refId").asText())) {
            problems.add(where + ": a target without expr or with a repeated refId");
          }
          if (!t.path("expr").asText().contains("job=\"$job\"")) {
            problems.add(where + ": a query that does not select job=\"$job\"");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void provisioningPointsAtTheMountedDashboards() throws IOException {
    JsonNode providers = Monitoring.yaml(GRAFANA.resolve("provisioning/dashboards/wa-gateway.yml")).path("providers");
    String path = providers.get(0).path("options").path("path").asText();
    String compose = Files.readString(Monitoring.dir().resolve("docker-compose.yml"));
    assertThat(compose).contains("./grafana/dashboards:" + path + ":ro");
    JsonNode ds = Monitoring.yaml(GRAFANA.resolve("provisioning/datasources/prometheus.yml")).path("datasources");
    assertThat(ds.get(0).path("type").asText()).isEqualTo("prometheus");
  }
}
