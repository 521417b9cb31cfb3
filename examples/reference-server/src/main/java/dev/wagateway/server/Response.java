package dev.wagateway.server;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a handler answers: a status, a JSON value (or raw bytes with their type), extra headers. */
record Response(int status, @Nullable Object json, byte @Nullable [] bytes, String contentType,
    Map<String, String> headers, @Nullable Streamed stream) {

  /** A body read from a stream as it is written (media), never held whole in memory. */
  record Streamed(java.io.InputStream in, long length) {}

  Response(int status, @Nullable Object json, byte @Nullable [] bytes, String contentType, Map<String, String> headers) {
    this(status, json, bytes, contentType, headers, null);
  }

  static Response ok(Object json) {
    return new Response(200, json, null, "application/json", Map.of());
  }

  static Response created(Object json, String location) {
    return new Response(201, json, null, "application/json", Map.of("Location", location));
  }

  static Response accepted(Object json) {
    return new Response(202, json, null, "application/json", Map.of());
  }

  static Response noContent() {
    return new Response(204, null, null, "application/json", Map.of());
  }

  static Response bytes(byte[] body, String contentType) {
    return new Response(200, null, body, contentType, Map.of("Cache-Control", "no-store"));
  }
}
