package dev.wagateway.media;

import dev.wagateway.ValidationException;
import dev.wagateway.net.AddressGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Fetches media from a URL for a send, behind the SSRF guard: every hop (redirects are followed by
 * hand, at most three) must resolve to public addresses unless private networks are allowed; the
 * size limit is checked on the declared length and again while reading; only http and https.
 */
public final class MediaDownloader {
  private static final int MAX_REDIRECTS = 3;
  private final HttpClient http;
  private final boolean allowPrivateNetworks;
  private final Duration timeout;

  public MediaDownloader(boolean allowPrivateNetworks, Duration timeout) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** What was fetched: the bytes and the type the server claimed (sniffing decides later). */
  public record Fetched(byte[] data, @Nullable String contentType) {}

  /**
   * Refuses a URL whose host is not public (unless allowed), before anything is queued or fetched.
   *
   * @throws ValidationException naming {@code field}
   */
  public void check(URI uri, String field) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    ValidationException.require(scheme.equals("http") || scheme.equals("https"), field, "only http and https URLs");
    ValidationException.require(uri.getHost() != null, field, "the URL has no host");
    if (allowPrivateNetworks) {
      return;
    }
    InetAddress bad;
    try {
      bad = AddressGuard.firstNonPublic(uri.getHost());
    } catch (UnknownHostException e) {
      throw new ValidationException(field, "the host " + clip(uri.getHost()) + " does not resolve");
    }
    ValidationException.require(bad == null, field, "the URL points at a private address (" + (bad == null ? ""
        : bad.getHostAddress()) + "); media from private networks is refused unless allowed");
  }

  public Fetched fetch(URI start, long maxBytes, String field) throws IOException {
    URI uri = start;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      check(uri, field);
      HttpResponse<InputStream> r;
      try {
        r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted fetching media", e);
      }
      int status = r.statusCode();
      if (status >= 300 && status < 400) {
        r.body().close();
        Optional<String> loc = r.headers().firstValue("Location");
        if (loc.isEmpty()) {
          throw new IOException("a redirect without Location from " + clip(uri.getHost()));
        }
        uri = uri.resolve(loc.get());
        continue;
      }
      try (InputStream in = r.body()) {
        if (status != 200) {
          throw new IOException("fetching media answered HTTP " + status);
        }
        byte[] data = MediaStreams.readLimited(in, r.headers().firstValue("Content-Length"), maxBytes, field);
        ValidationException.require(data.length > 0, field, "the URL gave no bytes");
        return new Fetched(data, r.headers().firstValue("Content-Type").orElse(null));
      }
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects fetching media");
  }

  private static String clip(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
