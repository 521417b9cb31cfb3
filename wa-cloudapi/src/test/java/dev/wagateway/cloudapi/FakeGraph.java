package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Graph API: a real HTTP server that answers like Meta's documented
 * shapes (phone number lookup, sends, media upload, media lookup and download, errors) and
 * records every request. Scripted answers per path prefix are served first, in order.
 */
final class FakeGraph implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "EAAG-test-token-0123456789";

  record Call(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  record Answer(int status, String body, Map<String, String> headers) {
    static Answer of(int status, String body) {
      return new Answer(status, body, Map.of());
    }

    /** Meta's error body. */
    static Answer error(int status, int code, String message) {
      return of(status, "{\"error\":{\"message\":\"(#" + code + ") " + message + "\",\"type\":\"OAuthException\","
          + "\"code\":" + code + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + message
          + "\"},\"fbtrace_id\":\"AbCdEf\"}}");
    }
  }

  final HttpServer server;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Map<String, Deque<Answer>> scripted = new ConcurrentHashMap<>();
  final Map<String, String> displayNumbers = new ConcurrentHashMap<>();
  final Map<String, byte[]> media = new ConcurrentHashMap<>();
  final AtomicInteger messageIds = new AtomicInteger();
  final AtomicInteger uploads = new AtomicInteger();
  volatile String quality = "GREEN";

  FakeGraph() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeGraph number(String phoneNumberId, String display) {
    displayNumbers.put(phoneNumberId, display);
    return this;
  }

  /** The next answers to requests whose path starts with {@code prefix} (after the version). */
  FakeGraph script(String prefix, Answer... answers) {
    Deque<Answer> q = scripted.computeIfAbsent(prefix, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addAll(List.of(answers));
    }
    return this;
  }

  List<Call> calls(String method, String pathSuffix) {
    return calls.stream().filter(c -> c.method().equals(method) && c.path().endsWith(pathSuffix)).toList();
  }

  List<JsonNode> sends() {
    return calls("POST", "/messages").stream().map(Call::json).filter(n -> n.has("type")).toList();
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    String full = x.getRequestURI().getPath();
    String path = full.replaceFirst("^/v[0-9.]+/", "").replaceFirst("^/", "");
    String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
    calls.add(new Call(x.getRequestMethod(), full, query, Map.copyOf(x.getRequestHeaders()), body));
    Answer a = answer(x, path, body);
    byte[] out = a.body().getBytes("application/octet-stream".equals(a.headers().get("Content-Type"))
        ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    if (!a.headers().containsKey("Content-Type")) {
      x.getResponseHeaders().add("Content-Type", "application/json");
    }
    x.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      x.getResponseBody().write(out);
    }
    x.close();
  }

  private Answer answer(HttpExchange x, String path, byte[] body) {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    for (Map.Entry<String, Deque<Answer>> e : scripted.entrySet()) {
      if (path.startsWith(e.getKey())) {
        Deque<Answer> q = e.getValue();
        synchronized (q) {
          Answer a = q.poll();
          if (a != null) {
            return a;
          }
        }
      }
    }
    if (!("Bearer " + TOKEN).equals(auth)) {
      return Answer.error(401, 190, "Invalid OAuth access token");
    }
    String method = x.getRequestMethod();
    if (path.startsWith("files/")) { // the media "lookaside" host, same server here
      byte[] data = media.get(path.substring(6));
      return data == null ? Answer.of(404, "") : new Answer(200, new String(data, StandardCharsets.ISO_8859_1),
          Map.of("Content-Type", "application/octet-stream"));
    }
    String[] parts = path.split("/");
    if (method.equals("GET") && parts.length == 1 && displayNumbers.containsKey(parts[0])) {
      return Answer.of(200, "{\"display_phone_number\":\"" + displayNumbers.get(parts[0]) + "\",\"verified_name\":"
          + "\"Test Shop\",\"quality_rating\":\"" + quality + "\",\"id\":\"" + parts[0] + "\"}");
    }
    if (method.equals("GET") && parts.length == 1 && media.containsKey(parts[0])) {
      byte[] data = media.get(parts[0]);
      return Answer.of(200, "{\"messaging_product\":\"whatsapp\",\"url\":\"" + baseUrl() + "/files/" + parts[0]
          + "\",\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"file_size\":" + data.length + ",\"id\":\""
          + parts[0] + "\"}");
    }
    if (method.equals("POST") && parts.length == 2 && parts[1].equals("messages")) {
      String s = new String(body, StandardCharsets.UTF_8);
      if (s.contains("\"status\":\"read\"")) {
        return Answer.of(200, "{\"success\":true}");
      }
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (IOException e) {
        return Answer.error(400, 100, "Invalid parameter");
      }
      String input = n.has("to") ? n.get("to").asText() : n.path("recipient").asText();
      String contact = n.has("to") ? "\"wa_id\":\"" + input + "\"" : "\"user_id\":\"" + input + "\"";
      return Answer.of(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + input + "\","
          + contact + "}],\"messages\":[{\"id\":\"wamid.fake" + messageIds.incrementAndGet()
          + "\",\"message_status\":\"accepted\"}]}");
    }
    if (method.equals("POST") && parts.length == 2 && parts[1].equals("media")) {
      return Answer.of(200, "{\"id\":\"media" + uploads.incrementAndGet() + "\"}");
    }
    return Answer.error(400, 100, "Unsupported request");
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
