package dev.wagateway.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Serves {@code /health} (every check), {@code /health/live} and {@code /health/ready} for
 * {@code com.sun.net.httpserver}: mount it on the context {@code /health}. DEGRADED answers 200 so
 * probes keep the instance; only DOWN answers 503. Details are shown when configured, or to
 * requests the {@code authorized} predicate accepts (for example an admin API key).
 */
public final class HealthHttpHandler implements HttpHandler {
  private final HealthService health;
  private final boolean showDetails;
  private final Predicate<HttpExchange> authorized;

  public HealthHttpHandler(HealthService health, boolean showDetails, Predicate<HttpExchange> authorized) {
    this.health = Objects.requireNonNull(health, "health");
    this.showDetails = showDetails;
    this.authorized = Objects.requireNonNull(authorized, "authorized");
  }

  /** Details hidden from everyone. */
  public HealthHttpHandler(HealthService health) {
    this(health, false, x -> false);
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        x.getResponseHeaders().set("Allow", "GET, HEAD");
        x.sendResponseHeaders(405, -1);
        return;
      }
      String path = x.getRequestURI().getPath();
      HealthReport report;
      if (path.equals("/health") || path.equals("/health/")) {
        report = health.report();
      } else if (path.equals("/health/live")) {
        report = health.report(HealthCheck.Group.LIVENESS);
      } else if (path.equals("/health/ready")) {
        report = health.report(HealthCheck.Group.READINESS);
      } else {
        x.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = HealthJson.render(report, showDetails || authorized.test(x));
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.getResponseHeaders().set("Cache-Control", "no-store");
      int status = report.status() == HealthStatus.DOWN ? 503 : 200;
      if (method.equals("HEAD")) {
        x.sendResponseHeaders(status, -1);
        return;
      }
      x.sendResponseHeaders(status, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
