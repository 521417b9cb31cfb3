package dev.wagateway.webhooks;

import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookRequest;
import io.github.resilience4j.retry.Retry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Delivers webhooks with Apache HttpClient 5 (async, pooled keep-alive): the same signing, SSRF
 * guard, timeouts, no-redirect and capped-read rules as {@link HttpWebhookDeliverer}, several
 * times its throughput on a small machine (docs/BENCHMARKS.md). Needs
 * {@code org.apache.httpcomponents.client5:httpclient5} on the class path (optional dependency).
 */
public final class Hc5WebhookDeliverer implements WebhookDeliverer, AutoCloseable {
  /** Exactly what HttpWebhookDeliverer sends: JSON is UTF-8 by definition, no charset parameter. */
  private static final ContentType JSON = ContentType.create("application/json", (java.nio.charset.Charset) null);
  private final CloseableHttpAsyncClient client;
  private final ScheduledExecutorService retryScheduler;
  private final Retry quickRetry;
  private final Duration requestTimeout;
  private final int responseCap;
  private final boolean allowPrivateNetworks;
  private final String userAgent;

  private Hc5WebhookDeliverer(Builder b) {
    this.requestTimeout = b.requestTimeout;
    this.responseCap = b.responseCap;
    this.allowPrivateNetworks = b.allowPrivateNetworks;
    this.userAgent = b.userAgent;
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(b.maxConnections).setMaxConnPerRoute(b.maxConnections)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(b.connectTimeout)).build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(b.requestTimeout))
            .setRedirectsEnabled(false).build())
        .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(b.ioThreads).build())
        .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
        .build();
    this.client.start();
    this.retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wa-webhook-hc5-retry");
      t.setDaemon(true);
      return t;
    });
    this.quickRetry = DeliverySupport.quickRetry("webhook-hc5");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<DeliveryResult> deliver(WebhookRequest r) {
    long start = System.nanoTime();
    // The guard resolves names; a literal or cached name is quick, so it runs on the caller's thread.
    DeliveryResult refusal = DeliverySupport.refusal(r.url(), allowPrivateNetworks);
    if (refusal != null) {
      return CompletableFuture.completedFuture(refusal);
    }
    return Retry.decorateCompletionStage(quickRetry, retryScheduler, () -> send(r)).get()
        .thenApply(c -> DeliveryResult.status(c.status, DeliverySupport.since(start), c.text(), DeliverySupport.retryAfter(c.retryAfter)))
        .exceptionally(e -> DeliveryResult.error(
            DeliverySupport.describe(DeliverySupport.rootCause(e), requestTimeout), DeliverySupport.since(start)));
  }

  private CompletableFuture<Capped> send(WebhookRequest r) {
    SimpleRequestBuilder b = SimpleRequestBuilder.post(r.url()).setBody(r.body(), JSON)
        .setHeader("User-Agent", userAgent);
    DeliverySupport.headers(r).forEach(b::setHeader);
    CompletableFuture<Capped> result = new CompletableFuture<>();
    Capped consumer = new Capped(responseCap);
    client.execute(SimpleRequestProducer.create(b.build()), consumer, null, null, new FutureCallback<>() {
      @Override
      public void completed(Capped c) {
        result.complete(c);
      }

      @Override
      public void failed(Exception e) {
        result.completeExceptionally(e);
      }

      @Override
      public void cancelled() {
        result.completeExceptionally(new java.util.concurrent.CancellationException("cancelled"));
      }
    });
    return result;
  }

  /**
   * Keeps the status, Retry-After and the first {@code cap} bytes of the body, and answers as soon
   * as it has them; a longer body is not read further: the connection is closed.
   */
  static final class Capped implements AsyncResponseConsumer<Capped> {
    private final int cap;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status;
    @Nullable String retryAfter;
    private @Nullable FutureCallback<Capped> callback;
    private boolean answered;

    Capped(int cap) {
      this.cap = cap;
    }

    String text() {
      synchronized (buf) {
        return buf.toString(StandardCharsets.UTF_8);
      }
    }

    private synchronized void answer() {
      if (!answered && callback != null) {
        answered = true;
        callback.completed(this);
      }
    }

    @Override
    public void consumeResponse(HttpResponse response, @Nullable EntityDetails entity, HttpContext context,
        FutureCallback<Capped> resultCallback) {
      status = response.getCode();
      Header h = response.getFirstHeader("Retry-After");
      retryAfter = h == null ? null : h.getValue();
      synchronized (this) {
        callback = resultCallback;
      }
      if (entity == null || cap == 0) {
        answer();
      }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
      channel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      synchronized (buf) {
        int take = Math.min(src.remaining(), cap - buf.size());
        if (take > 0) {
          byte[] chunk = new byte[take];
          src.get(chunk);
          buf.write(chunk, 0, take);
        }
        src.position(src.limit());
        if (buf.size() < cap) {
          return;
        }
      }
      answer();
      // The answer is out; reading the rest could take forever (an endless or huge body). Failing
      // the exchange makes the client close this connection instead of returning it to the pool.
      throw new CapReached();
    }

    @Override
    public void streamEnd(@Nullable List<? extends Header> trailers) {
      answer();
    }

    @Override
    public synchronized void failed(Exception cause) {
      if (!answered && callback != null) {
        answered = true;
        callback.failed(cause);
      }
    }

    @Override
    public void releaseResources() {}
  }

  /** Ends an exchange whose answer was given at the cap; carries no stack, it is no error. */
  static final class CapReached extends IOException {
    CapReached() {
      super("response body over the cap: connection closed", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
    retryScheduler.shutdownNow();
  }

  /** Configures an {@link Hc5WebhookDeliverer}: {@link DelivererSettings} plus the connection pool. */
  public static final class Builder extends DelivererSettings<Builder> {
    private int maxConnections = 256;
    private int ioThreads = 1;

    private Builder() {}

    public Builder maxConnections(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      this.maxConnections = n;
      return this;
    }

    public Builder ioThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1");
      }
      this.ioThreads = n;
      return this;
    }

    public Hc5WebhookDeliverer build() {
      return new Hc5WebhookDeliverer(this);
    }
  }
}
