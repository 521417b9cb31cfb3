package dev.wagateway.webhooks;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first {@code cap} bytes of a response body and then cancels the stream, so an endpoint
 * that answers with a huge or endless body costs neither memory nor time.
 */
final class CappedBody implements HttpResponse.BodySubscriber<String> {
  private final int cap;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  CappedBody(int cap) {
    this.cap = cap;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      int take = Math.min(b.remaining(), cap - buf.size());
      if (take > 0) {
        byte[] chunk = new byte[take];
        b.get(chunk);
        buf.write(chunk, 0, take);
      }
    }
    if (buf.size() >= cap && !result.isDone()) {
      result.complete(text());
      subscription.cancel();
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!result.isDone()) {
      result.completeExceptionally(t);
    }
  }

  @Override
  public void onComplete() {
    result.complete(text());
  }

  private String text() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }
}
