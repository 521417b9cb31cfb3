package dev.wagateway.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.QueueFullException;
import dev.wagateway.SessionAlreadyExistsException;
import dev.wagateway.SessionLimitExceededException;
import dev.wagateway.SessionNotFoundException;
import dev.wagateway.StoreException;
import dev.wagateway.ValidationException;
import dev.wagateway.WaException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The front of /api: request id, authentication, per-key rate limit, routing, and the mapping of
 * every failure to an RFC 9457 problem. Bad input is a 4xx naming the field, never a 500; a 500 is
 * logged with its request id and answered without internals.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private final Router router;
  private final ApiKeys keys;
  private final RateLimiter limiter;
  private final ObjectMapper json;
  private final int maxBody;

  ApiHandler(Router router, ApiKeys keys, RateLimiter limiter, ObjectMapper json, int maxBody) {
    this.router = router;
    this.keys = keys;
    this.limiter = limiter;
    this.json = json;
    this.maxBody = maxBody;
  }

  /** The key of a request: {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}. */
  static @Nullable String presentedKey(HttpExchange x) {
    return ApiKeys.presented(x.getRequestHeaders()::getFirst);
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    String requestId = UUID.randomUUID().toString();
    x.getResponseHeaders().set("X-Request-Id", requestId);
    MDC.put("requestId", requestId);
    try {
      Response r;
      try {
        r = dispatch(x);
      } catch (ApiException e) {
        r = problem(x, e);
      } catch (ApiKeys.OutOfScope e) {
        r = problem(x, ApiException.forbidden(e.getMessage()));
      } catch (SessionNotFoundException e) {
        r = problem(x, ApiException.notFound(e.getMessage()));
      } catch (ValidationException e) {
        r = problem(x, ApiException.badRequest(e.field(), e.getMessage()));
      } catch (SessionAlreadyExistsException e) {
        r = problem(x, ApiException.conflict(e.getMessage()));
      } catch (IllegalSessionStateException e) {
        r = problem(x, ApiException.conflict(e.getMessage()));
      } catch (SessionLimitExceededException | QueueFullException e) {
        r = problem(x, new ApiException(503, "Service unavailable", e.getMessage(), null, Duration.ofSeconds(1)));
      } catch (StoreException e) {
        log.error("store failure on {} {}", x.getRequestMethod(), router.templateOf(x.getRequestURI().getPath()), e);
        r = problem(x, new ApiException(503, "Store unavailable", e.getMessage(), null, Duration.ofSeconds(5)));
      } catch (WaException e) {
        r = problem(x, new ApiException(409, "Conflict", e.getMessage(), null, null));
      } catch (IllegalArgumentException e) {
        // thrown by core value constructors for input they refuse (e.g. a filter's limit)
        r = problem(x, ApiException.badRequest(null, e.getMessage()));
      } catch (Exception e) {
        log.error("unexpected failure on {} {}", x.getRequestMethod(), router.templateOf(x.getRequestURI().getPath()), e);
        r = problem(x, new ApiException(500, "Internal error",
            "the request failed inside the server; its log has the cause under request id " + requestId, null, null));
      }
      write(x, r);
    } finally {
      MDC.remove("requestId");
      x.close();
    }
  }

  private Response dispatch(HttpExchange x) throws Exception {
    ApiKeys.Principal p = keys.authenticate(presentedKey(x));
    if (p == null) {
      x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"wa-gateway\"");
      throw new ApiException(401, "Unauthorized", "send a valid API key as 'Authorization: Bearer <key>'"
          + " or 'X-Api-Key: <key>'", null, null);
    }
    Duration wait = limiter.acquire(p.keyId());
    if (!wait.isZero()) {
      throw new ApiException(429, "Too many requests", "this key's rate limit is reached; retry after "
          + Math.max(1, (wait.toMillis() + 999) / 1000) + " s", null, wait);
    }
    Router.Match m = router.match(x.getRequestMethod(), x.getRequestURI().getPath());
    return m.route().handler().handle(new Request(x, p, m.variables(), maxBody, json));
  }

  private Response problem(HttpExchange x, ApiException e) {
    ObjectNode n = json.createObjectNode();
    n.put("type", "about:blank");
    n.put("title", e.title);
    n.put("status", e.status);
    n.put("detail", e.getMessage());
    n.put("instance", x.getRequestURI().getPath());
    if (e.field != null) {
      n.put("field", e.field);
    }
    n.put("requestId", x.getResponseHeaders().getFirst("X-Request-Id"));
    java.util.Map<String, String> headers = e.retryAfter == null ? java.util.Map.of()
        : java.util.Map.of("Retry-After", Long.toString(Math.max(1, (e.retryAfter.toMillis() + 999) / 1000)));
    return new Response(e.status, n, null, "application/problem+json", headers);
  }

  private void write(HttpExchange x, Response r) throws IOException {
    r.headers().forEach((k, v) -> x.getResponseHeaders().set(k, v));
    if (r.stream() != null) {
      writeStream(x, r);
      return;
    }
    byte[] body = r.bytes() != null ? r.bytes() : r.json() == null ? null : json.writeValueAsBytes(r.json());
    if (body == null) {
      x.sendResponseHeaders(r.status(), -1);
      return;
    }
    x.getResponseHeaders().set("Content-Type", r.contentType());
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(r.status(), -1);
      return;
    }
    x.sendResponseHeaders(r.status(), body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }

  /** Streams a body (media) with its length; the stream is closed whatever happens. */
  static void writeStream(HttpExchange x, Response r) throws IOException {
    try (java.io.InputStream in = r.stream().in()) {
      x.getResponseHeaders().set("Content-Type", r.contentType());
      if (x.getRequestMethod().equals("HEAD")) {
        x.getResponseHeaders().set("Content-Length", Long.toString(r.stream().length()));
        x.sendResponseHeaders(r.status(), -1);
        return;
      }
      x.sendResponseHeaders(r.status(), r.stream().length() == 0 ? -1 : r.stream().length());
      try (OutputStream o = x.getResponseBody()) {
        in.transferTo(o);
      }
    }
  }
}
