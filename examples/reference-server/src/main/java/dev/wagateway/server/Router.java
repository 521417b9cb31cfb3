package dev.wagateway.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Routes by method and path template ({@code /api/sessions/{id}/messages}). A match carries the
 * template (the metrics' uri tag) and the path variables. Unknown paths give 404, known paths with
 * another method 405 with an Allow header.
 */
final class Router {
  /** What a route does with a request. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws Exception;
  }

  record Route(String method, String template, String[] parts, Handler handler) {}

  record Match(Route route, Map<String, String> variables) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, template.substring(1).split("/"), handler));
    return this;
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The route for {@code method} and {@code path}, or an ApiException (404, 405). */
  Match match(String method, String path) {
    String[] parts = path.length() > 1 && path.endsWith("/")
        ? path.substring(1, path.length() - 1).split("/") : path.substring(1).split("/");
    Set<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Map<String, String> vars = matches(r.parts(), parts);
      if (vars == null) {
        continue;
      }
      if (r.method().equals(method)) {
        return new Match(r, vars);
      }
      allowed.add(r.method());
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(405, "Method not allowed", method + " is not supported on " + path
          + "; allowed: " + String.join(", ", allowed), null, null);
    }
    throw ApiException.notFound("no route for " + path);
  }

  /** The template a path matches (for metrics), or UNKNOWN. */
  String templateOf(String path) {
    String[] parts = path.substring(1).split("/");
    for (Route r : routes) {
      if (matches(r.parts(), parts) != null) {
        return r.template();
      }
    }
    return "UNKNOWN";
  }

  private static @Nullable Map<String, String> matches(String[] template, String[] path) {
    if (template.length != path.length) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (path[i].isEmpty()) {
          return null;
        }
        try {
          vars.put(t.substring(1, t.length() - 1), java.net.URLDecoder.decode(path[i],
              java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest("path", "the path has a malformed %-escape");
        }
      } else if (!t.equals(path[i])) {
        return null;
      }
    }
    return vars;
  }

  /** "GET /api/sessions" for every route: what the OpenAPI test compares. */
  Set<String> signatures() {
    Set<String> out = new LinkedHashSet<>();
    routes.forEach(r -> out.add(r.method() + " " + r.template()));
    return out;
  }
}
