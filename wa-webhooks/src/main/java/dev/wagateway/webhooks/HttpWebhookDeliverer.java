package dev.wagateway.webhooks;

import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookRequest;
import io.github.resilience4j.retry.Retry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers webhooks over HTTP with {@code java.net.http}: a signed JSON POST, connect and request
 * timeouts (5 s / 15 s), no redirects, the response body read only up to a cap, and the SSRF guard.
 * An I/O error other than a timeout (refused, or a stale pooled connection) is retried once after
 * 100 ms (resilience4j); the long retry schedule is the gateway's, kept in the outbox.
 */
public final class HttpWebhookDeliverer implements WebhookDeliverer, AutoCloseable {

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
    this.quickRetry = DeliverySupport.quickRetry("webhook-jdk");
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
    return CompletableFuture.supplyAsync(() -> DeliverySupport.refusal(r.url(), allowPrivateNetworks),
        executor).thenCompose(refusal -> {
      if (refusal != null) {
        return CompletableFuture.completedFuture(refusal);
      }
      HttpRequest request = build(r);
      return Retry.decorateCompletionStage(quickRetry, retryScheduler,
              () -> client.sendAsync(request, info -> new CappedBody(responseCap)))
          .get()
          .thenApply(resp -> DeliveryResult.status(resp.statusCode(), DeliverySupport.since(start), resp.body(),
              DeliverySupport.retryAfter(resp.headers().firstValue("Retry-After").orElse(null))))
          .exceptionally(e -> DeliveryResult.error(
              DeliverySupport.describe(DeliverySupport.rootCause(e), requestTimeout), DeliverySupport.since(start)));
    });
  }

  private HttpRequest build(WebhookRequest r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(r.url()).timeout(requestTimeout)
        .header("Content-Type", "application/json").header("User-Agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    DeliverySupport.headers(r).forEach(b::header);
    return b.build();
  }

  @Override
  public void close() {
    retryScheduler.shutdownNow();
    executor.shutdownNow();
  }

  /** Configures an {@link HttpWebhookDeliverer}; the settings are in {@link DelivererSettings}. */
  public static final class Builder extends DelivererSettings<Builder> {
    private Builder() {}

    public HttpWebhookDeliverer build() {
      return new HttpWebhookDeliverer(this);
    }
  }
}
