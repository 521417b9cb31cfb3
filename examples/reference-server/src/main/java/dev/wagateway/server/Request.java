package dev.wagateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One API request: who sent it, its path variables and query, and its body read within the limit. */
final class Request {
  final HttpExchange exchange;
  final ApiKeys.Principal principal;
  final Map<String, String> vars;
  final Map<String, String> query;
  private final int maxBody;
  private final ObjectMapper json;

  Request(HttpExchange exchange, ApiKeys.Principal principal, Map<String, String> vars, int maxBody, ObjectMapper json) {
    this.exchange = exchange;
    this.principal = principal;
    this.vars = vars;
    this.maxBody = maxBody;
    this.json = json;
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
  }

  static Map<String, String> parseQuery(@Nullable String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        q.put(k, v);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("query", "the query has a malformed %-escape");
      }
    }
    return q;
  }

  String var(String name) {
    return vars.get(name);
  }

  /** The session in the path, after the scope check: a session key may use only its own. */
  String session() {
    String id = var("id");
    if (!principal.mayUse(id)) {
      throw ApiException.forbidden(principal.scopeMessage());
    }
    return id;
  }

  /** The body as a JSON object; 413 past the limit, 415 for another media type, 400 if malformed. */
  ObjectNode body() throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "Unsupported media type", "send the body as application/json", null, null);
    }
    byte[] bytes = readBody();
    if (bytes.length == 0) {
      throw ApiException.badRequest(null, "the request body is empty: a JSON object is expected");
    }
    JsonNode n;
    try {
      n = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(null, "the body is not valid JSON (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest(null, "the body must be a JSON object");
    }
    return (ObjectNode) n;
  }

  /** An optional body: an empty object when none was sent. */
  ObjectNode bodyOrEmpty() throws IOException {
    String len = exchange.getRequestHeaders().getFirst("Content-Length");
    if ((len == null || len.equals("0")) && exchange.getRequestHeaders().getFirst("Transfer-Encoding") == null) {
      return json.createObjectNode();
    }
    return body();
  }

  private byte[] readBody() throws IOException {
    String len = exchange.getRequestHeaders().getFirst("Content-Length");
    if (len != null) {
      try {
        if (Long.parseLong(len.trim()) > maxBody) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(null, "Content-Length is not a number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(maxBody + 1);
      if (b.length > maxBody) {
        throw tooLarge();
      }
      return b;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(413, "Request too large", "the body is larger than " + maxBody
        + " bytes (WA_MAX_BODY_BYTES)", null, null);
  }

  /** A query parameter as an instant (ISO-8601), or null when absent. */
  @Nullable Instant instantParam(String name) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
    }
  }

  int intParam(String name, int dflt, int min, int max) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw ApiException.badRequest(name, "must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "must be a whole number");
    }
  }
}
