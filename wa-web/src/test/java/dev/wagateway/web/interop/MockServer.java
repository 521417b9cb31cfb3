package dev.wagateway.web.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The mock WhatsApp server of ../shared/protocol/mock-server (installed by .ci/install-mock-server
 * into .ci/mock-server with its npm dependencies) and its Baileys peers, driven from a test.
 */
final class MockServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build(); // no h2c upgrade: the mock server takes Upgrade requests for WebSockets

  final Process process;
  final URI url;
  final URI control;
  final String testRootHex;
  private final Path dir;
  private final List<Peer> peers = new ArrayList<>();

  private MockServer(Path dir, Process process, JsonNode ready) {
    this.dir = dir;
    this.process = process;
    this.url = URI.create(ready.get("url").asText());
    this.control = URI.create(ready.get("controlUrl").asText());
    this.testRootHex = ready.get("testRootPublicHex").asText();
  }

  /** The installed mock server, or a skip (a failure under CI=true) saying why it is absent. */
  static Path installation() {
    String configured = System.getProperty("wa.interop.mockServer", "");
    Path dir = configured.isEmpty() ? null : Path.of(configured);
    boolean installed = dir != null
        && Files.exists(dir.resolve("node_modules/@whiskeysockets/baileys/package.json"));
    if (!installed) {
      String why = configured.isEmpty()
          ? "the web-interop profile is off: .ci/install-mock-server has not installed the mock server"
              + " (it needs ../shared/protocol/mock-server, Node 20 and npm)"
          : "no mock server installed at " + dir;
      if ("true".equals(System.getenv("CI")) && Files.isDirectory(Path.of("../../shared/protocol/mock-server"))) {
        throw new AssertionError("CI=true and ../shared/protocol/mock-server exists, but " + why);
      }
      Assumptions.abort(why);
    }
    return dir;
  }

  static MockServer start() throws IOException {
    Path dir = installation();
    ProcessBuilder pb = new ProcessBuilder("node", "server.mjs", "--port", "0").directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().put("LOG_LEVEL", System.getProperty("wa.interop.logLevel", "warn"));
    pb.environment().put("MAX_LIFETIME_S", "900");
    Process p = pb.start();
    JsonNode ready = readyLine(p, "MOCK_SERVER_READY", Duration.ofSeconds(30));
    return new MockServer(dir, p, ready);
  }

  /** Starts a Baileys peer that pairs itself as a companion of {@code phone}. */
  Peer peer(String phone, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("node", "peer.mjs", "--server", url.toString(), "--phone", phone,
        "--name", name, "--exit-with-stdin").directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    JsonNode ready = readyLine(p, "PEER_READY", Duration.ofSeconds(60));
    Peer peer = new Peer(p, URI.create("http://127.0.0.1:" + ready.get("port").asInt()), ready);
    peers.add(peer);
    return peer;
  }

  JsonNode post(String path, String json) {
    return MockServer.post(control.resolve(path), json);
  }

  JsonNode state() {
    return get(control.resolve("/control/state"));
  }

  static JsonNode post(URI uri, String json) {
    return call(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  static JsonNode get(URI uri) {
    return call(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).GET().build());
  }

  private static JsonNode call(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new AssertionError(request.method() + " " + request.uri() + " → " + response.statusCode()
            + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads stdout until the line starting with {@code marker}; the rest of stdout is drained. */
  private static JsonNode readyLine(Process p, String marker, Duration timeout) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          if (!ready.isDone() && line.startsWith(marker + " ")) {
            ready.complete(JSON.readTree(line.substring(marker.length() + 1)));
          } else if (!ready.isDone() && line.startsWith("PEER_FAILED")) {
            ready.completeExceptionally(new AssertionError(line));
          } else if (Boolean.getBoolean("wa.interop.echo")) {
            System.out.println("  mock| " + line);
          }
        }
        ready.completeExceptionally(new AssertionError(marker + " never came; exit " + p.waitFor()));
      } catch (Exception e) {
        ready.completeExceptionally(e);
      }
    }, "mock-stdout");
    t.setDaemon(true);
    t.start();
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("waiting for " + marker + ": " + e, e);
    }
  }

  @Override
  public void close() {
    for (Peer peer : peers) {
      peer.close();
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One Baileys client driven over its HTTP API (peer.mjs). */
  static final class Peer implements AutoCloseable {
    final Process process;
    final URI api;
    final String jid;
    final String userJid;

    Peer(Process process, URI api, JsonNode ready) {
      this.process = process;
      this.api = api;
      this.jid = ready.get("jid").asText();
      this.userJid = ready.path("userJid").asText(jid.replaceAll(":\\d+@", "@"));
    }

    JsonNode send(String to, String text) {
      return post(api.resolve("/send"), JSON.createObjectNode().put("to", to).put("text", text).toString());
    }

    JsonNode read(String id, String jid) {
      return post(api.resolve("/read"), JSON.createObjectNode().put("id", id).put("jid", jid).toString());
    }

    JsonNode messages(int since, Duration wait) {
      return get(api.resolve("/messages?since=" + since + "&wait=" + wait.toMillis()));
    }

    JsonNode receipts(int since, Duration wait) {
      return get(api.resolve("/receipts?since=" + since + "&wait=" + wait.toMillis()));
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close();
      } catch (IOException ignored) {
        // the peer exits when its stdin closes; destroy below otherwise
      }
      process.destroy();
    }
  }
}
