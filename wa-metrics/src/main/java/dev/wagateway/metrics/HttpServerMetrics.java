package dev.wagateway.metrics;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Times every request of a {@code com.sun.net.httpserver} context as {@code http.server.requests}
 * (Prometheus {@code http_server_requests_seconds}) with Micrometer's usual tags: method, uri, status,
 * outcome and exception. The uri tag is a template from the resolver — never the raw path, which
 * carries ids and would grow without bound; by default the context's path.
 *
 * <pre>{@code
 * HttpContext api = server.createContext("/api", handler);
 * api.getFilters().add(HttpServerMetrics.filter(registry, router::templateOf));
 * }</pre>
 */
public final class HttpServerMetrics extends Filter {
  /** Buckets where the alerts and dashboards look (p95 over 1 s). */
  public static final List<Duration> DEFAULT_SLOS = List.of(Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
      "OPTIONS");
  private final MeterRegistry registry;
  private final Function<HttpExchange, String> uriTemplate;

  private HttpServerMetrics(MeterRegistry registry, Function<HttpExchange, String> uriTemplate) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.uriTemplate = Objects.requireNonNull(uriTemplate, "uriTemplate");
  }

  /** A filter that tags each request with its context's path as the uri. */
  public static HttpServerMetrics filter(MeterRegistry registry) {
    return new HttpServerMetrics(registry, x -> x.getHttpContext().getPath());
  }

  /**
   * A filter whose uri tag comes from {@code uriTemplate} (e.g. {@code /api/sessions/{id}}). The
   * resolver must return a bounded set of values; null or an exception count as {@code UNKNOWN}.
   */
  public static HttpServerMetrics filter(MeterRegistry registry, Function<HttpExchange, String> uriTemplate) {
    return new HttpServerMetrics(registry, uriTemplate);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    long start = System.nanoTime();
    Throwable error = null;
    try {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException e) {
      error = e;
      throw e;
    } finally {
      int status = exchange.getResponseCode();
      if (status < 0) {
        status = error != null ? 500 : 200; // nothing sent: the server answers 500 for a throwing handler
      }
      Timer.builder(WaMetricNames.HTTP_SERVER_REQUESTS).description("HTTP requests to the gateway's server")
          .serviceLevelObjectives(DEFAULT_SLOS.toArray(Duration[]::new))
          .tags(Tags.of("method", method(exchange), "uri", uri(exchange), "status", Integer.toString(status),
              "outcome", outcome(status), "exception", error == null ? "none" : error.getClass().getSimpleName()))
          .register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private static String method(HttpExchange x) {
    String m = x.getRequestMethod().toUpperCase(Locale.ROOT);
    return METHODS.contains(m) ? m : "OTHER"; // a client can send any token as a method
  }

  private String uri(HttpExchange x) {
    try {
      String t = uriTemplate.apply(x);
      return t == null || t.isEmpty() ? "UNKNOWN" : t;
    } catch (RuntimeException e) {
      return "UNKNOWN";
    }
  }

  static String outcome(int status) {
    if (status < 200) {
      return "INFORMATIONAL";
    } else if (status < 300) {
      return "SUCCESS";
    } else if (status < 400) {
      return "REDIRECTION";
    } else if (status < 500) {
      return "CLIENT_ERROR";
    } else if (status < 600) {
      return "SERVER_ERROR";
    }
    return "UNKNOWN";
  }

  @Override
  public String description() {
    return "Micrometer http.server.requests timer";
  }
}
