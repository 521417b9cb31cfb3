package dev.wagateway.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.wagateway.media.MediaLinks;
import dev.wagateway.media.MediaStore;
import dev.wagateway.media.StoredMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Stored media over HTTP: {@code GET /api/media/{id}} for key holders (a session key sees only its
 * session's media), with byte ranges; {@code POST /api/media/{id}/link} and the links in webhook
 * payloads: {@code /media/{id}?expires=…&sig=…}, signed with HMAC-SHA256, valid until they expire,
 * for receivers that hold no key.
 */
final class MediaRoutes {
  static final String PUBLIC_PATH = "/media/";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
  private static final Duration MAX_LINK_TTL = Duration.ofDays(7);

  private final MediaStore store;
  private final byte[] linkKey;
  private final Duration defaultTtl;
  private final Supplier<String> baseUrl;
  private final Clock clock;
  private final ObjectMapper json;

  MediaRoutes(MediaStore store, byte[] linkKey, Duration defaultTtl, Supplier<String> baseUrl, Clock clock,
      ObjectMapper json) {
    this.store = store;
    this.linkKey = linkKey.clone();
    this.defaultTtl = defaultTtl;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.json = json;
  }

  MediaStore store() {
    return store;
  }

  Router routes(Router r) {
    r.add("GET", "/api/media/{id}", this::get);
    r.add("POST", "/api/media/{id}/link", this::link);
    return r;
  }

  /** Links for webhook payloads. */
  MediaLinks links() {
    return (media, sessionId) -> url(media.mediaId(), clock.instant().plus(defaultTtl));
  }

  private StoredMedia own(Request x) {
    String id = x.var("id");
    if (!MediaStore.isId(id)) {
      throw ApiException.badRequest("id", "a media id is 64 lower-case hex characters (its SHA-256)");
    }
    StoredMedia m = store.metadata(id).orElseThrow(() -> ApiException.notFound("no media '" + id + "'"));
    boolean allowed = m.sessionId() == null ? x.principal.admin() : x.principal.mayUse(m.sessionId());
    if (!allowed) {
      throw ApiException.notFound("no media '" + id + "'"); // the same answer as for an unknown id
    }
    return m;
  }

  private Response get(Request x) throws IOException {
    return serve(own(x), x.exchange.getRequestHeaders().getFirst("Range"));
  }

  private Response link(Request x) throws IOException {
    StoredMedia m = own(x);
    Duration ttl = defaultTtl;
    String raw = x.query.get("ttl");
    if (raw != null) {
      try {
        ttl = raw.matches("\\d{1,6}d") ? Duration.ofDays(Long.parseLong(raw.substring(0, raw.length() - 1)))
            : Duration.parse(raw.startsWith("P") ? raw : "PT" + raw.toUpperCase(java.util.Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw ApiException.badRequest("ttl", "a duration such as 1h, 30m, 2d or PT1H");
      }
      if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_LINK_TTL) > 0) {
        throw ApiException.badRequest("ttl", "between 1 second and 7 days");
      }
    }
    Instant expires = clock.instant().plus(ttl);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", url(m.id(), expires));
    out.put("expiresAt", expires.toString());
    return Response.ok(json.valueToTree(out));
  }

  String url(String id, Instant expires) {
    long e = expires.getEpochSecond();
    return baseUrl.get() + PUBLIC_PATH + id + "?expires=" + e + "&sig=" + sign(id, e);
  }

  private String sign(String id, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(linkKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((id + ":" + expires).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code /media/{id}?expires=&sig=}: no key, the signature and the expiry decide. */
  void publicLink(HttpExchange x) throws IOException {
    try (x) {
      String id = x.getRequestURI().getPath().substring(PUBLIC_PATH.length());
      Map<String, String> q = Request.parseQuery(x.getRequestURI().getRawQuery());
      String expires = q.getOrDefault("expires", "");
      String sig = q.getOrDefault("sig", "");
      if (!x.getRequestMethod().equals("GET") || !MediaStore.isId(id) || !expires.matches("\\d{1,12}")
          || !MessageDigest.isEqual(sign(id, Long.parseLong(expires)).getBytes(StandardCharsets.US_ASCII),
              sig.getBytes(StandardCharsets.US_ASCII))) {
        plain(x, 403, "not a valid media link");
        return;
      }
      if (Instant.ofEpochSecond(Long.parseLong(expires)).isBefore(clock.instant())) {
        plain(x, 410, "this media link has expired; ask for a new one");
        return;
      }
      StoredMedia m = store.metadata(id).orElse(null);
      if (m == null) {
        plain(x, 404, "the media is no longer stored");
        return;
      }
      Response r;
      try {
        r = serve(m, x.getRequestHeaders().getFirst("Range"));
      } catch (ApiException e) {
        r = new Response(e.status, null, e.getMessage().getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(
            "Content-Range", "bytes */" + m.size()));
      }
      r.headers().forEach((k, v) -> x.getResponseHeaders().set(k, v));
      if (r.stream() != null) {
        ApiHandler.writeStream(x, r);
        return;
      }
      x.getResponseHeaders().set("Content-Type", r.contentType());
      x.sendResponseHeaders(r.status(), r.bytes().length == 0 ? -1 : r.bytes().length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(r.bytes());
      }
    }
  }

  /** The whole object (200) or one byte range (206); an unsatisfiable range is 416. */
  Response serve(StoredMedia m, @Nullable String range) throws IOException {
    long start = 0;
    long end = m.size() - 1;
    boolean partial = false;
    if (range != null && !range.isBlank()) {
      Matcher r = RANGE.matcher(range.strip());
      if (!r.matches() || (r.group(1).isEmpty() && r.group(2).isEmpty())) {
        throw new ApiException(416, "Range not satisfiable", "one range of the form bytes=start-end, start- or -suffix",
            "Range", null);
      }
      if (r.group(1).isEmpty()) { // the last n bytes
        start = Math.max(0, m.size() - Long.parseLong(r.group(2)));
      } else {
        start = Long.parseLong(r.group(1));
        if (!r.group(2).isEmpty()) {
          end = Math.min(end, Long.parseLong(r.group(2)));
        }
      }
      if (start > end || start >= m.size()) {
        throw new ApiException(416, "Range not satisfiable", "the media has " + m.size() + " bytes", "Range", null);
      }
      partial = true;
    }
    long length = end - start + 1;
    InputStream body = store.open(m.id(), start, length).orElseThrow(() -> ApiException.notFound("no media"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept-Ranges", "bytes");
    headers.put("ETag", "\"" + m.id() + "\"");
    headers.put("Cache-Control", "private, max-age=3600");
    if (partial) {
      headers.put("Content-Range", "bytes " + start + "-" + end + "/" + m.size());
    }
    // streamed: a 100 MB document is copied through, never held in memory
    return new Response(partial ? 206 : 200, null, null, m.mimeType(), headers, new Response.Streamed(body, length));
  }

  private static void plain(HttpExchange x, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }
}
