package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The server as a user runs it: its own JVM through {@code main}, configured by the environment.
 * With WA_LOG_FORMAT=json every line is a JSON object; a bad setting exits 2 naming the variable;
 * SIGTERM shuts it down gracefully (the shutdown hook's last line, exit code of a terminated JVM).
 */
class MainProcessTest {
  static ProcessBuilder java(String... env) {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    // what the jar's manifest says (Enable-Native-Access), for a class-path launch: sqlite-jdbc
    // loads a native library, and JDK 24+ would print a warning line that is not JSON
    ProcessBuilder pb = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"),
        "dev.wagateway.server.Main").redirectErrorStream(true);
    try {
      // the default store is ./data/wa.db: in a directory of the test's own
      pb.directory(java.nio.file.Files.createTempDirectory("wa-main").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("WA_"));
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    return pb;
  }

  @Test
  void jsonLogsAndAGracefulStopOnSigterm() throws Exception {
    Process p = java("WA_PORT", "0", "WA_WS_PORT", "0", "WA_HOST", "127.0.0.1", "WA_LOG_FORMAT", "json",
        "WA_API_KEYS", "admin:main-process-test-key-1").start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (Exception ignored) {
        // the process ended
      }
    });
    reader.start();
    try {
      Pattern started = Pattern.compile("reference server on http://127\\.0\\.0\\.1:(\\d+)");
      int port = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (port < 0 && System.nanoTime() < deadline) {
        for (String l : lines) {
          Matcher m = started.matcher(TestServer.JSON.readTree(l).path("formattedMessage").asText());
          if (m.find()) {
            port = Integer.parseInt(m.group(1));
          }
        }
        Thread.sleep(50);
      }
      assertThat(port).as("started: " + lines).isPositive();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/api/sessions")).header("X-Api-Key", "main-process-test-key-1").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      // SIGTERM with kill(1), as an orchestrator sends it (under surefire, Process.destroy() ended the
      // child without its shutdown hooks running; kill -TERM from a shell runs them, as seen by hand)
      assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      assertThat(p.exitValue()).as("a JVM ended by SIGTERM").isEqualTo(143);
      for (String l : lines) {
        JsonNode n = TestServer.JSON.readTree(l);
        assertThat(n.has("level") && n.has("formattedMessage") && n.has("loggerName") && n.has("mdc")).as(l).isTrue();
        assertThat(l).doesNotContain("main-process-test-key-1");
      }
      assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.contains("shutting down: draining requests"))
          .anyMatch(l -> l.contains("\"formattedMessage\":\"stopped\""));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aBadSettingStopsTheStartNamingTheVariable() throws Exception {
    Process p = java("WA_PORT", "eighty").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("invalid configuration: WA_PORT: must be a whole number, was 'eighty'");
  }
}
