package dev.wagateway.webhooks;

import dev.wagateway.net.AddressGuard;
import dev.wagateway.webhook.DeliveryResult;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** What every HTTP deliverer shares: the SSRF refusal, the quick retry, errors and Retry-After. */
final class DeliverySupport {
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  private DeliverySupport() {}

  /** Null when {@code url} may be called, else the refusal (or an unknown-host error). */
  static @Nullable DeliveryResult refusal(URI url, boolean allowPrivateNetworks) {
    if (allowPrivateNetworks) {
      return null;
    }
    try {
      InetAddress bad = AddressGuard.firstNonPublic(url.getHost());
      return bad == null ? null : DeliveryResult.refused("refused: " + url.getHost()
          + " resolves to a non-public address (" + bad.getHostAddress()
          + "); allow private networks to call it");
    } catch (UnknownHostException e) {
      return DeliveryResult.error("unknown host " + url.getHost(), Duration.ZERO);
    }
  }

  /**
   * One immediate retry of an I/O error other than a timeout: a refused connection, or a pooled
   * keep-alive connection the receiver had just closed. Delivery is at-least-once, so the rare
   * duplicate is the receiver's de-duplication's job.
   */
  static Retry quickRetry(String name) {
    return Retry.of(name, RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(100))
        .retryOnException(e -> rootCause(e) instanceof IOException && !isTimeout(rootCause(e)))
        .build());
  }

  static boolean isTimeout(Throwable t) {
    return t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
        || t instanceof TimeoutException;
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException
        || t.getClass() == RuntimeException.class) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String describe(Throwable t, Duration requestTimeout) {
    if (t instanceof HttpConnectTimeoutException) {
      return "connect timeout";
    }
    if (isTimeout(t)) {
      return "timeout after " + requestTimeout;
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof IOException) {
      return "I/O error: " + t.getClass().getSimpleName();
    }
    return "failed: " + t.getClass().getSimpleName();
  }

  /** The subscription's own headers, then the signature headers of this attempt. */
  static java.util.Map<String, String> headers(dev.wagateway.webhook.WebhookRequest r) {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>(r.headers());
    h.putAll(WebhookSigner.headers(r.signatureMode(), r.secrets(), r.webhookId(),
        r.timestamp().getEpochSecond(), r.body()));
    return h;
  }

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Parses Retry-After as seconds or an HTTP date; null when absent or unreadable. */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      try {
        d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException ex) {
        return null;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
