package dev.wagateway.webhooks;

import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookRequest;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Delivers webhooks over HTTP with {@code java.net.http}: a signed JSON POST, connect and request
 * timeouts (5 s / 15 s), no redirects, the response body read only up to a cap, and the SSRF guard.
 * An I/O error other than a timeout (refused, or a stale pooled connection) is retried once after
 * 100 ms (resilience4j); the long retry schedule is the gateway's, kept in the outbox.
 */
public final class HttpWebhookDeliverer implements WebhookDeliverer, AutoCloseable {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_RESPONSE_CAP = 4096;
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  private final HttpClient client;
  private final ExecutorService executor;
  private final ScheduledExecutorService retryScheduler;
  private final Retry quickRetry;
  private final Duration requestTimeout;
  private final int responseCap;
  private final boolean allowPrivateNetworks;
  private final String userAgent;

  private HttpWebhookDeliverer(Builder b) {
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wa-webhook-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wa-webhook-retry");
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    this.quickRetry = Retry.of("webhook-connect", RetryConfig.custom().maxAttempts(2)
        .waitDuration(Duration.ofMillis(100))
        // A refused connection, or a pooled keep-alive connection the receiver had just closed:
        // worth one immediate retry. Not timeouts: the receiver may be slow, not gone. Delivery is
        // at-least-once, so the rare duplicate is the receiver's de-duplication's job.
        .retryOnException(e -> rootCause(e) instanceof IOException
            && !(rootCause(e) instanceof HttpTimeoutException))
        .build());
    this.requestTimeout = b.requestTimeout;
    this.responseCap = b.responseCap;
    this.allowPrivateNetworks = b.allowPrivateNetworks;
    this.userAgent = b.userAgent;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<DeliveryResult> deliver(WebhookRequest r) {
    long start = System.nanoTime();
    return CompletableFuture.supplyAsync(() -> guard(r.url()), executor).thenCompose(refusal -> {
      if (refusal != null) {
        return CompletableFuture.completedFuture(refusal);
      }
      HttpRequest request = build(r);
      return Retry.decorateCompletionStage(quickRetry, retryScheduler,
              () -> client.sendAsync(request, info -> new CappedBody(responseCap)))
          .get()
          .thenApply(resp -> DeliveryResult.status(resp.statusCode(), since(start), resp.body(),
              retryAfter(resp.headers().firstValue("Retry-After").orElse(null))))
          .exceptionally(e -> DeliveryResult.error(describe(rootCause(e)), since(start)));
    });
  }

  /** Null when the target may be called, else the refusal. */
  private @Nullable DeliveryResult guard(URI url) {
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

  private HttpRequest build(WebhookRequest r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(r.url()).timeout(requestTimeout)
        .header("Content-Type", "application/json").header("User-Agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    WebhookSigner.headers(r.signatureMode(), r.secrets(), r.webhookId(), r.timestamp().getEpochSecond(),
        r.body()).forEach(b::header);
    return b.build();
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t.getClass() == RuntimeException.class) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private String describe(Throwable t) {
    if (t instanceof HttpConnectTimeoutException) {
      return "connect timeout";
    }
    if (t instanceof HttpTimeoutException) {
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

  @Override
  public void close() {
    retryScheduler.shutdownNow();
    executor.shutdownNow();
  }

  /** Configures an {@link HttpWebhookDeliverer}. */
  public static final class Builder {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int responseCap = DEFAULT_RESPONSE_CAP;
    private boolean allowPrivateNetworks;
    private String userAgent = "wa-gateway-webhooks/0.1";

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = positive(d, "requestTimeout");
      return this;
    }

    /** How much of a response body is kept for the delivery log. */
    public Builder responseCap(int bytes) {
      if (bytes < 0 || bytes > 1 << 20) {
        throw new IllegalArgumentException("responseCap must be 0..1 MiB");
      }
      this.responseCap = bytes;
      return this;
    }

    /** Allows loopback and private targets: for tests and local development only. */
    public Builder allowPrivateNetworks(boolean allow) {
      this.allowPrivateNetworks = allow;
      return this;
    }

    public Builder userAgent(String ua) {
      this.userAgent = Objects.requireNonNull(ua, "userAgent");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    public HttpWebhookDeliverer build() {
      return new HttpWebhookDeliverer(this);
    }
  }
}
