package dev.wagateway.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs promtool and amtool over monitoring/ (installed by .ci/install-monitoring-tools). Without
 * them the tool tests skip with a message, except under CI=true, where a missing tool fails.
 */
class MonitoringToolsTest {
  static final Path PROM = Monitoring.dir().resolve("prometheus");
  static final Path ALERTS = PROM.resolve("alerts.yml");
  static final Path ALERTS_TEST = PROM.resolve("alerts_test.yml");
  static final Path ALERTMANAGER = Monitoring.dir().resolve("alertmanager/alertmanager.yml");

  record Run(int exit, String output) {}

  static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    String why = name + " is not installed (Debian packages prometheus and prometheus-alertmanager;"
        + " .ci/install-monitoring-tools installs them)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(why + ": under CI=true the monitoring checks must run");
    }
    Assumptions.abort(why + ": skipping");
    return name;
  }

  static Run run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s: " + out);
    }
    return new Run(p.exitValue(), out);
  }

  @Test
  void theRulesAreValid() throws Exception {
    Run r = run(PROM, tool("promtool"), "check", "rules", "alerts.yml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + Monitoring.alerts(ALERTS).size() + " rules found");
  }

  @Test
  void theExamplePrometheusConfigIsValid() throws Exception {
    Run r = run(PROM, tool("promtool"), "check", "config", "prometheus.yml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("is valid prometheus config file syntax");
  }

  @Test
  void thePromtoolUnitTestsPass() throws Exception {
    Run r = run(PROM, tool("promtool"), "test", "rules", "alerts_test.yml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void theUnitTestsCatchAChangedThreshold(@TempDir Path tmp) throws Exception {
    // The same tests against rules whose send-failure threshold moved from 10% to 30%: they must fail.
    String rules = Files.readString(ALERTS);
    assertThat(rules).contains("> 0.10\n");
    Files.writeString(tmp.resolve("alerts.yml"), rules.replace("> 0.10\n", "> 0.30\n"));
    Files.copy(ALERTS_TEST, tmp.resolve("alerts_test.yml"));
    Run r = run(tmp, tool("promtool"), "test", "rules", "alerts_test.yml");
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("alertname: WaSendFailureRateHigh").contains("FAILED");
  }

  @Test
  void everyAlertHasAFiringAndANonFiringCase() {
    Set<String> fires = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (JsonNode test : Monitoring.yaml(ALERTS_TEST).path("tests")) {
      for (JsonNode c : test.path("alert_rule_test")) {
        String name = c.path("alertname").asText();
        (c.path("exp_alerts").isEmpty() ? silent : fires).add(name);
      }
    }
    List<String> names = Monitoring.alerts(ALERTS).stream().map(Monitoring.Alert::name).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(21).doesNotHaveDuplicates();
    assertThat(fires).as("alerts with a case where they fire").containsAll(names);
    assertThat(silent).as("alerts with a case where they do not fire").containsAll(names);
  }

  @Test
  void everyAlertIsLabelledAndHasARunbookSection() throws IOException {
    String runbooks = Files.readString(Monitoring.root().resolve("docs/runbooks.md"));
    List<String> problems = new ArrayList<>();
    for (Monitoring.Alert a : Monitoring.alerts(ALERTS)) {
      String sev = a.labels().path("severity").asText();
      if (!Set.of("critical", "warning").contains(sev)) {
        problems.add(a.name() + ": severity '" + sev + "'");
      }
      if (a.labels().path("component").asText().isEmpty()) {
        problems.add(a.name() + ": no component label");
      }
      for (String key : List.of("summary", "description")) {
        if (a.annotations().path(key).asText().isBlank()) {
          problems.add(a.name() + ": no " + key);
        }
      }
      String anchor = a.name().toLowerCase(Locale.ROOT);
      if (!a.annotations().path("runbook_url").asText().equals("docs/runbooks.md#" + anchor)) {
        problems.add(a.name() + ": runbook_url " + a.annotations().path("runbook_url").asText());
      }
      if (!runbooks.contains("\n## " + a.name() + "\n")) {
        problems.add(a.name() + ": no '## " + a.name() + "' section in docs/runbooks.md");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theAlertmanagerConfigIsValidAndRoutesBySeverity() throws Exception {
    String amtool = tool("amtool");
    Run check = run(ALERTMANAGER.getParent(), amtool, "check-config", "alertmanager.yml");
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS");
    assertThat(route(amtool, "severity=critical", "component=service", "alertname=WaGatewayDown"))
        .isEqualTo("escalation,pager,team-chat");
    assertThat(route(amtool, "severity=critical", "component=queue", "alertname=WaQueueStalled"))
        .isEqualTo("pager,team-chat");
    assertThat(route(amtool, "severity=warning", "component=session", "alertname=WaSessionDisconnected"))
        .isEqualTo("team-chat");
  }

  @Test
  void aGatewayThatIsDownMutesEveryAlertThatDependsOnIt() {
    JsonNode rules = Monitoring.yaml(ALERTMANAGER).path("inhibit_rules");
    JsonNode down = null;
    for (JsonNode r : rules) {
      if (r.path("source_matchers").path(0).asText().equals("alertname=\"WaGatewayDown\"")) {
        down = r;
      }
    }
    assertThat(down).as("an inhibit rule whose source is WaGatewayDown").isNotNull();
    assertThat(down.path("equal").toString()).contains("instance").contains("job");
    String target = down.path("target_matchers").get(0).asText();
    assertThat(target).startsWith("component=~");
    java.util.regex.Pattern muted = java.util.regex.Pattern.compile(
        target.substring("component=~".length()).replace("\"", ""));
    for (Monitoring.Alert a : Monitoring.alerts(ALERTS)) {
      String component = a.labels().path("component").asText();
      assertThat(muted.matcher(component).matches()).as(a.name() + " (" + component + ") muted while the gateway is down")
          .isEqualTo(!component.equals("service"));
    }
  }

  private static String route(String amtool, String... labels) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(amtool, "config", "routes", "test", "--config.file=alertmanager.yml"));
    cmd.addAll(List.of(labels));
    Run r = run(ALERTMANAGER.getParent(), cmd.toArray(String[]::new));
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output().lines().filter(l -> !l.startsWith("Warning:")).findFirst().orElse("").trim();
  }
}
