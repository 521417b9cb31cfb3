package dev.wagateway.internal;

import dev.wagateway.engine.Engine;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.MediaFetcher;
import dev.wagateway.media.MediaConfig;
import dev.wagateway.media.MediaContent;
import dev.wagateway.media.MediaStore;
import dev.wagateway.media.MediaTypes;
import dev.wagateway.media.StoredMedia;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.time.TaskScheduler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of media: inbound media into the store as they arrive, stored media read back
 * for a send, and the retention job. Without a {@link MediaConfig} it passes everything through.
 */
final class GatewayMedia {
  private static final Logger log = LoggerFactory.getLogger(GatewayMedia.class);
  private final @Nullable MediaConfig config;
  private final Engine engine;
  private final TaskScheduler scheduler;
  private final MetricsTracker metrics;

  private final dev.wagateway.media.@Nullable MediaDownloader downloader;

  GatewayMedia(@Nullable MediaConfig config, Engine engine, TaskScheduler scheduler, MetricsTracker metrics) {
    this.config = config;
    this.downloader = config == null || !config.fetchUrls() ? null
        : new dev.wagateway.media.MediaDownloader(config.allowPrivateNetworks(), config.fetchTimeout());
    this.engine = engine;
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  dev.wagateway.media.@Nullable MediaLinks links() {
    return config == null ? null : config.links();
  }

  @Nullable MediaStore store() {
    return config == null ? null : config.store();
  }

  /**
   * The message with its media in the store: bytes are stored, provider media fetched first. A
   * failure leaves the message as it came (the event still goes out), logged and counted.
   */
  InboundMessage inbound(InboundMessage m) {
    MediaSource media = MediaContent.mediaOf(m.content());
    if (config == null || media == null || media instanceof MediaSource.Stored) {
      return m;
    }
    String type = m.content().type();
    long started = System.nanoTime();
    long max = MediaContent.maxBytes(m.content());
    try {
      byte[] data;
      if (media instanceof MediaSource.Bytes b) {
        data = b.data();
      } else if (media instanceof MediaSource.Uploaded up && engine instanceof MediaFetcher f) {
        data = f.fetchMedia(m.sessionId(), up, max).toCompletableFuture()
            .get(config.fetchTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } else {
        return m; // a URL, or an engine that cannot fetch: left as the engine gave it
      }
      String mime = MediaTypes.sniff(data).orElse(media.mimeType()); // it reads only the first bytes
      Instant now = scheduler.now();
      StoredMedia s = config.store().put(new ByteArrayInputStream(data),
          new MediaStore.Put(mime, m.id(), m.sessionId(), now.plus(config.retention())), max);
      MessageContent content;
      try {
        content = MediaContent.withMedia(m.content(), MediaSource.stored(s.id(), s.mimeType(), s.size()));
      } catch (dev.wagateway.ValidationException e) {
        // the bytes are not what the provider said (an "image" that is a webp): kept as a document
        content = new MessageContent.Document(MediaSource.stored(s.id(), s.mimeType(), s.size()), type, null);
      }
      metrics.mediaProcessed(type, "inbound", s.size(), System.nanoTime() - started);
      return new InboundMessage(m.id(), m.sessionId(), m.chat(), m.sender(), content, m.replyTo(), m.timestamp(),
          m.senderProfile());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(m, type, "interrupted");
    } catch (java.util.concurrent.TimeoutException e) {
      return failed(m, type, "timeout");
    } catch (java.util.concurrent.ExecutionException | IOException | RuntimeException e) {
      Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      return failed(m, type, t.getClass().getSimpleName());
    }
  }

  private InboundMessage failed(InboundMessage m, String type, String why) {
    log.warn("inbound {} of message {} could not be stored ({}); the event carries the provider's reference", type,
        m.id(), why);
    metrics.mediaFailed(type, "inbound");
    return m;
  }

  /** Fetches of media URLs run here, off the dispatcher's threads (a slow server must not stall sends). */
  private final java.util.concurrent.ExecutorService fetchPool = java.util.concurrent.Executors.newFixedThreadPool(4,
      r -> {
        Thread t = new Thread(r, "wa-media-fetch");
        t.setDaemon(true);
        return t;
      });

  /** True when {@code m} has a media URL the gateway fetches before the send. */
  boolean needsFetch(OutboundMessage m) {
    return downloader != null && MediaContent.mediaOf(m.content()) instanceof MediaSource.Url;
  }

  /** {@link #forEngine} on the fetch pool, for a message that {@link #needsFetch}. */
  java.util.concurrent.CompletableFuture<OutboundMessage> fetchAsync(OutboundMessage m) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> forEngine(m), fetchPool);
  }

  void close() {
    fetchPool.shutdownNow();
  }

  /** At {@code send}: a media URL must point at a public address (unless allowed), or it is refused now. */
  void checkOnSend(MessageContent c) {
    MediaSource media = MediaContent.mediaOf(c);
    if (downloader != null && media instanceof MediaSource.Url u) {
      downloader.check(u.uri(), "content.media.url");
    }
  }

  /**
   * The message as the engine needs it: stored media read back into memory, media URLs fetched
   * (guarded, limited, typed by their content) and stored. Throws a send failure when that fails.
   */
  OutboundMessage forEngine(OutboundMessage m) {
    MediaSource media = MediaContent.mediaOf(m.content());
    if (downloader != null && media instanceof MediaSource.Url u) {
      return fetched(m, u);
    }
    if (!(media instanceof MediaSource.Stored st)) {
      return m;
    }
    MediaStore store = store();
    if (store == null) {
      throw new EngineSendException(Failure.of(FailureType.PERMANENT, "media_store_missing",
          "the message refers to stored media but this gateway has no media store"));
    }
    long started = System.nanoTime();
    try {
      Optional<InputStream> in = store.open(st.mediaId());
      if (in.isEmpty()) {
        throw new EngineSendException(Failure.of(FailureType.PERMANENT, "media_gone",
            "stored media " + st.mediaId().substring(0, 12) + "… is no longer in the media store (retention?)"));
      }
      byte[] data;
      try (InputStream s = in.get()) {
        data = s.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MediaContent.maxBytes(m.content()) + 1));
      }
      MessageContent c = MediaContent.withMedia(m.content(), MediaSource.bytes(data, st.mimeType()));
      metrics.mediaProcessed(m.content().type(), "outbound", data.length, System.nanoTime() - started);
      return withContent(m, c);
    } catch (IOException e) {
      metrics.mediaFailed(m.content().type(), "outbound");
      throw new EngineSendException(Failure.of(FailureType.TRANSIENT, "media_store_error",
          "reading stored media failed: " + e.getClass().getSimpleName()));
    }
  }

  private OutboundMessage fetched(OutboundMessage m, MediaSource.Url u) {
    String type = m.content().type();
    long started = System.nanoTime();
    long max = MediaContent.maxBytes(m.content());
    try {
      var f = downloader.fetch(u.uri(), max, "content.media.url");
      // the content decides the type; the content's constructor refuses what does not fit the kind
      MessageContent c = MediaContent.withMedia(m.content(), MediaSource.bytes(f.data(), u.mimeType()));
      MediaSource.Bytes b = (MediaSource.Bytes) MediaContent.mediaOf(c);
      config.store().put(new ByteArrayInputStream(f.data()), new MediaStore.Put(b.mimeType(), m.id(), m.sessionId(),
          scheduler.now().plus(config.retention())), max);
      metrics.mediaProcessed(type, "outbound", f.data().length, System.nanoTime() - started);
      return withContent(m, c);
    } catch (dev.wagateway.ValidationException e) {
      metrics.mediaFailed(type, "outbound");
      throw new EngineSendException(Failure.of(FailureType.PERMANENT, "media_refused", e.getMessage()));
    } catch (IOException e) {
      metrics.mediaFailed(type, "outbound");
      throw new EngineSendException(Failure.of(FailureType.TRANSIENT, "media_fetch_failed",
          "fetching the media URL failed: " + e.getMessage()));
    }
  }

  /** The same message (id, time, every field) with {@code c} as its content, for the engine only. */
  private static OutboundMessage withContent(OutboundMessage m, MessageContent c) {
    MessageRequest r = m.request();
    return new OutboundMessage(m.id(), new MessageRequest(r.sessionId(), r.to(), c, r.idempotencyKey(), r.priority(),
        r.notBefore(), r.expiresAt(), r.replyTo()), m.createdAt());
  }

  /** Deletes expired media; scheduled hourly by the gateway. */
  void retention() {
    MediaStore store = store();
    if (store == null) {
      return;
    }
    try {
      int n = store.deleteExpired(scheduler.now());
      if (n > 0) {
        log.info("media retention deleted {} expired media", n);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("media retention failed (tried again in an hour): {}", e.getMessage());
    }
  }
}
