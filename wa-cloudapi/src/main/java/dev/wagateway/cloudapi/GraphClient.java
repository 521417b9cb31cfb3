package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.cloudapi.MetaErrors.MetaError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The Graph API calls the engine makes, on the JDK's HTTP client (no extra dependency): JSON in
 * and out, the bearer token per call, Meta's error body parsed into a {@link GraphException}.
 * Tokens never appear in exceptions or logs.
 */
final class GraphClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http;
  private final CloudApiConfig config;

  GraphClient(HttpClient http, CloudApiConfig config) {
    this.http = http;
    this.config = config;
  }

  /** A Graph API call failed: with Meta's error when the body had one, else just the status. */
  static final class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final transient @Nullable MetaError error;
    final @Nullable Duration retryAfter;
    final boolean network;

    GraphException(int status, @Nullable MetaError error, @Nullable Duration retryAfter, boolean network,
        String message, @Nullable Throwable cause) {
      super(message, cause, false, false);
      this.status = status;
      this.error = error;
      this.retryAfter = retryAfter;
      this.network = network;
    }
  }

  CompletableFuture<JsonNode> get(String path, String token) {
    return call(HttpRequest.newBuilder(config.graph(path)).GET(), token);
  }

  CompletableFuture<JsonNode> post(String path, String token, JsonNode body) {
    return call(HttpRequest.newBuilder(config.graph(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toString().getBytes(StandardCharsets.UTF_8))), token);
  }

  /** {@code POST /{phone-number-id}/media} as multipart/form-data; returns the media id. */
  CompletableFuture<String> upload(String phoneNumberId, String token, byte[] data, String mimeType,
      String fileName) {
    String boundary = "wa-" + HexFormat.of().formatHex(randomBytes());
    ByteArrayOutputStream body = new ByteArrayOutputStream(data.length + 512);
    part(body, boundary, "messaging_product", null, null, "whatsapp".getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "type", null, null, mimeType.getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "file", fileName, mimeType, data);
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequest.Builder b = HttpRequest.newBuilder(config.graph(phoneNumberId + "/media"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    return call(b, token).thenApply(n -> {
      String id = n.path("id").asText("");
      if (!id.matches("[A-Za-z0-9._-]{1,128}")) {
        throw new GraphException(200, null, null, false, "the media upload answered without an id", null);
      }
      return id;
    });
  }

  /**
   * Downloads media from a URL Meta gave (it needs the bearer token too), refusing more than
   * {@code maxBytes}. An expired URL answers 404 or 401: the caller looks the URL up again.
   */
  CompletableFuture<byte[]> download(URI url, String token, long maxBytes) {
    HttpRequest r = HttpRequest.newBuilder(url).timeout(config.requestTimeout())
        .header("Authorization", "Bearer " + token).GET().build();
    return http.sendAsync(r, HttpResponse.BodyHandlers.ofInputStream()).handle((resp, err) -> {
      if (err != null) {
        throw network(err);
      }
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new GraphException(resp.statusCode(), null, null, false,
              "media download answered HTTP " + resp.statusCode(), null);
        }
        return dev.wagateway.media.MediaStreams.readLimited(in, resp.headers().firstValue("Content-Length"), maxBytes,
            "media");
      } catch (IOException e) {
        throw network(e);
      }
    });
  }

  private CompletableFuture<JsonNode> call(HttpRequest.Builder b, String token) {
    HttpRequest r = b.timeout(config.requestTimeout()).header("Authorization", "Bearer " + token).build();
    return http.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray()).handle((resp, err) -> {
      if (err != null) {
        throw network(err);
      }
      JsonNode body = parse(resp.body());
      if (resp.statusCode() / 100 == 2 && body != null && !body.has("error")) {
        return body;
      }
      MetaError e = MetaError.parse(resp.statusCode(), body);
      throw new GraphException(resp.statusCode(), e, retryAfter(resp), false,
          "Graph API answered HTTP " + resp.statusCode() + (e == null ? "" : " with error " + e.code()), null);
    });
  }

  private static @Nullable JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static @Nullable Duration retryAfter(HttpResponse<?> resp) {
    return resp.headers().firstValue("Retry-After").filter(v -> v.matches("[0-9]{1,6}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
  }

  private static GraphException network(Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    String what = t instanceof HttpTimeoutException ? "no answer in time" : t.getClass().getSimpleName();
    return new GraphException(0, null, null, true, "Graph API unreachable: " + what, t);
  }

  private static void part(ByteArrayOutputStream out, String boundary, String name, @Nullable String fileName,
      @Nullable String contentType, byte[] value) {
    StringBuilder h = new StringBuilder("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
        .append(name).append('"');
    if (fileName != null) {
      h.append("; filename=\"").append(fileName.replaceAll("[\"\\r\\n\\\\]", "_")).append('"');
    }
    h.append("\r\n");
    if (contentType != null) {
      h.append("Content-Type: ").append(contentType).append("\r\n");
    }
    h.append("\r\n");
    out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(value);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return b;
  }
}
