package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.SessionNotFoundException;
import dev.wagateway.ValidationException;
import dev.wagateway.cloudapi.GraphClient.GraphException;
import dev.wagateway.engine.Engine;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.message.MediaKind;
import dev.wagateway.store.InMemorySeenIds;
import dev.wagateway.store.SeenIds;
import dev.wagateway.time.TaskScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The official WhatsApp Business Cloud API behind the gateway's {@link Engine} SPI. Each session
 * sends from one business phone number ({@link CloudApiConfig#accounts()}); it is CONNECTED once
 * the Graph API confirmed the number with the token. Inbound messages and statuses arrive through
 * Meta's webhook: mount {@link #webhookHandler()} at the callback URL configured in the Meta app.
 *
 * <pre>{@code
 * CloudApiEngine engine = CloudApiEngine.builder(CloudApiConfig.builder()
 *         .appSecret(System.getenv("META_APP_SECRET")).verifyToken(System.getenv("META_VERIFY_TOKEN"))
 *         .account("sales", "106540352242922", System.getenv("META_TOKEN")).build())
 *     .seenIds(jdbcStores.seenIds()).build();
 * WaGateway gw = WaGateway.builder().engine(engine).build();
 * }</pre>
 */
public final class CloudApiEngine implements Engine, dev.wagateway.engine.MediaFetcher {
  private final CloudApiConfig config;
  private final GraphClient graph;
  private final SeenIds seen;
  private final TaskScheduler scheduler;
  private final boolean ownScheduler;
  private final ConcurrentMap<String, CloudApiConnection> byPhoneNumberId = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CloudApiConnection> lastByPhoneNumberId = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AccountStatus> status = new ConcurrentHashMap<>();
  private final CloudApiWebhookHandler webhooks;
  private final TaskScheduler.Cancellable purge;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CloudApiEngine.class);

  private CloudApiEngine(Builder b) {
    this.config = b.config;
    this.ownScheduler = b.scheduler == null;
    this.scheduler = b.scheduler != null ? b.scheduler : TaskScheduler.system("wa-cloudapi", 1);
    this.seen = b.seenIds;
    HttpClient http = b.http != null ? b.http
        : HttpClient.newBuilder().connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.graph = new GraphClient(http, config);
    this.webhooks = new CloudApiWebhookHandler(this);
    // expired inbound ids are forgotten hourly, so the table does not grow without end
    this.purge = scheduler.scheduleAtFixedRate(Duration.ofHours(1), Duration.ofHours(1), this::purgeSeen);
  }

  private void purgeSeen() {
    try {
      int n = seen.purgeExpired(now());
      if (n > 0) {
        log.debug("forgot {} expired inbound ids", n);
      }
    } catch (RuntimeException e) {
      log.warn("purging expired inbound ids failed (tried again in an hour): {}", e.getMessage());
    }
  }

  public static Builder builder(CloudApiConfig config) {
    return new Builder(config);
  }

  @Override
  public String name() {
    return "cloudapi";
  }

  @Override
  public EngineConnection open(EngineSession session, EngineListener listener) {
    return new CloudApiConnection(this, session, listener);
  }

  /** The handler for Meta's webhook (verification GET and signed POSTs), framework-neutral. */
  public CloudApiWebhookHandler webhookHandler() {
    return webhooks;
  }

  /** What the last Graph API check said of each configured account, by session id. */
  public Map<String, AccountStatus> accountStatus() {
    return new TreeMap<>(status);
  }

  /**
   * The last check of one account: whether the token worked, the number's quality rating
   * (GREEN, YELLOW, RED or UNKNOWN) and the last error, for health checks and status pages.
   */
  public record AccountStatus(String sessionId, String phoneNumberId, boolean tokenValid,
      @Nullable String qualityRating, @Nullable String verifiedName, @Nullable String lastError, Instant checkedAt) {

    /** True when the token works and the quality rating is not RED. */
    public boolean healthy() {
      return tokenValid && !"RED".equalsIgnoreCase(qualityRating);
    }
  }

  /**
   * The accounts' health in a form any health framework can take: {@code DOWN} when an account's
   * token was refused, {@code DEGRADED} when Meta rates a number's quality RED (its sends may be
   * limited) or an account has not been checked yet, else {@code UP}; details per session.
   */
  public Health health() {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    String worst = "UP";
    for (String sessionId : config.accounts().keySet()) {
      AccountStatus a = status.get(sessionId);
      Map<String, Object> d = new java.util.LinkedHashMap<>();
      if (a == null) {
        d.put("checked", false);
        worst = worse(worst, "DEGRADED");
      } else {
        d.put("tokenValid", a.tokenValid());
        d.put("qualityRating", a.qualityRating() == null ? "UNKNOWN" : a.qualityRating());
        d.put("checkedAt", a.checkedAt().toString());
        if (a.lastError() != null) {
          d.put("lastError", a.lastError());
        }
        worst = worse(worst, !a.tokenValid() ? "DOWN" : a.healthy() ? "UP" : "DEGRADED");
      }
      details.put(sessionId, d);
    }
    return new Health(worst, details);
  }

  private static String worse(String a, String b) {
    List<String> order = List.of("UP", "DEGRADED", "DOWN");
    return order.indexOf(b) > order.indexOf(a) ? b : a;
  }

  /** A status ({@code UP}, {@code DEGRADED} or {@code DOWN}) with details, for health checks. */
  public record Health(String status, Map<String, Object> details) {}

  /** Media bytes fetched from the Cloud API, with the type and checksum Meta gave. */
  public record DownloadedMedia(String mediaId, String mimeType, @Nullable String sha256, byte[] data) {
    @Override
    public String toString() {
      return "DownloadedMedia[" + mediaId + ", " + mimeType + ", " + data.length + " bytes]";
    }
  }

  /**
   * Downloads inbound media: looks up its URL ({@code GET /{media-id}}), then fetches it with the
   * token, at most {@code kind}'s size limit. The URL expires within minutes; if the fetch is
   * refused as expired (401/403/404) the URL is looked up once more and fetched again.
   */
  public CompletableFuture<DownloadedMedia> downloadMedia(String sessionId, String mediaId, MediaKind kind) {
    CloudApiConfig.Account a = config.account(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
    ValidationException.require(mediaId != null && mediaId.matches("[A-Za-z0-9._-]{1,128}"), "mediaId",
        "a media id is 1 to 128 letters, digits, '.', '_' or '-'");
    long max = kind == MediaKind.STICKER ? MediaKind.ANIMATED_STICKER_MAX_BYTES : kind.maxBytes();
    return fetchOnceMore(a, mediaId, max);
  }

  /** For the gateway's media store: inbound media downloaded as they arrive (Meta's links expire). */
  @Override
  public java.util.concurrent.CompletionStage<byte[]> fetchMedia(String sessionId,
      dev.wagateway.message.MediaSource.Uploaded media, long maxBytes) {
    CloudApiConfig.Account a = config.account(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
    return fetchOnceMore(a, media.mediaId(), maxBytes).thenApply(DownloadedMedia::data);
  }

  /** Looks the URL up and fetches it; if the URL expired between the two (401/403/404), once more. */
  private CompletableFuture<DownloadedMedia> fetchOnceMore(CloudApiConfig.Account a, String mediaId, long max) {
    return fetch(a, mediaId, max).handle((m, err) -> {
      Throwable t = err != null && err.getCause() != null ? err.getCause() : err;
      if (t instanceof GraphException ge && !ge.network && (ge.status == 401 || ge.status == 403 || ge.status == 404)
          && ge.error == null) {
        return fetch(a, mediaId, max);
      }
      return err != null ? CompletableFuture.<DownloadedMedia>failedFuture(t) : CompletableFuture.completedFuture(m);
    }).thenCompose(f -> f);
  }

  /**
   * Upload ids by phone number and content hash. Meta keeps an upload for 30 days; an id is reused
   * for 29. Concurrent sends of the same bytes share one upload in flight; a failed upload is
   * forgotten so that the next send tries again.
   */
  private final ConcurrentMap<String, Upload> uploads = new ConcurrentHashMap<>();

  private record Upload(CompletableFuture<String> id, Instant at) {}

  CompletableFuture<String> uploadOnce(String phoneNumberId, String sha256,
      java.util.function.Supplier<CompletableFuture<String>> upload) {
    String key = phoneNumberId + ":" + sha256;
    Instant now = now();
    if (uploads.size() > 100_000) {
      uploads.clear(); // a bound, not a policy: the next sends upload again
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    Upload fresh = new Upload(mine, now);
    Upload u = uploads.compute(key, (k, old) -> old != null && old.at().plus(Duration.ofDays(29)).isAfter(now)
        && !old.id().isCompletedExceptionally() ? old : fresh);
    if (u == fresh) {
      upload.get().whenComplete((id, err) -> {
        if (err != null) {
          uploads.remove(key, fresh);
          mine.completeExceptionally(err);
        } else {
          mine.complete(id);
        }
      });
    }
    return u.id();
  }

  private CompletableFuture<DownloadedMedia> fetch(CloudApiConfig.Account a, String mediaId, long max) {
    return graph.get(mediaId + "?phone_number_id=" + a.phoneNumberId(), a.accessToken()).thenCompose(info -> {
      String url = info.path("url").asText("");
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new GraphException(200, null, null, false, "the media lookup gave no usable URL", null);
      }
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
        throw new GraphException(200, null, null, false, "the media lookup gave no usable URL", null);
      }
      long size = info.path("file_size").asLong(-1);
      if (size > max) {
        throw new dev.wagateway.media.MediaTooLargeException("media", max);
      }
      String mime = info.path("mime_type").asText("application/octet-stream");
      String sha = info.hasNonNull("sha256") ? info.get("sha256").asText() : null;
      return graph.download(uri, a.accessToken(), max).thenApply(b -> new DownloadedMedia(mediaId, mime, sha, b));
    });
  }

  // ---- for the connection and the webhook handler ----

  CloudApiConfig config() {
    return config;
  }

  GraphClient graph() {
    return graph;
  }

  SeenIds seen() {
    return seen;
  }

  Instant now() {
    return scheduler.now();
  }

  TaskScheduler scheduler() {
    return scheduler;
  }

  /** Stops the engine's own timer thread, if it made one (a scheduler passed in stays the caller's). */
  @Override
  public void close() {
    purge.cancel();
    if (ownScheduler) {
      scheduler.close();
    }
  }

  void register(String phoneNumberId, CloudApiConnection c) {
    byPhoneNumberId.put(phoneNumberId, c);
    lastByPhoneNumberId.put(phoneNumberId, c);
  }

  /** The last connection of a number, connected or not (statuses go to it while it reconnects). */
  Optional<CloudApiConnection> lastConnection(String phoneNumberId) {
    return Optional.ofNullable(lastByPhoneNumberId.get(phoneNumberId));
  }

  void unregister(String phoneNumberId, CloudApiConnection c) {
    byPhoneNumberId.remove(phoneNumberId, c);
  }

  Optional<CloudApiConnection> connection(String phoneNumberId) {
    return Optional.ofNullable(byPhoneNumberId.get(phoneNumberId));
  }

  void checked(String sessionId, String phoneNumberId, boolean tokenValid, @Nullable JsonNode info,
      @Nullable String error) {
    AccountStatus old = status.get(sessionId);
    String quality = info != null && info.hasNonNull("quality_rating") ? info.get("quality_rating").asText()
        : old == null ? null : old.qualityRating();
    String name = info != null && info.hasNonNull("verified_name") ? info.get("verified_name").asText()
        : old == null ? null : old.verifiedName();
    status.put(sessionId, new AccountStatus(sessionId, phoneNumberId, tokenValid, quality, name, error, now()));
  }

  public static final class Builder {
    private final CloudApiConfig config;
    private SeenIds seenIds = new InMemorySeenIds();
    private @Nullable TaskScheduler scheduler;
    private @Nullable HttpClient http;

    private Builder(CloudApiConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Where inbound ids are remembered against Meta's redeliveries; the default keeps them in
     * memory only. Use {@code JdbcStores.seenIds()} so that a restart does not forget them.
     */
    public Builder seenIds(SeenIds seenIds) {
      this.seenIds = Objects.requireNonNull(seenIds, "seenIds");
      return this;
    }

    /**
     * The timers for keep-alives and account checks, and the clock of ack times and seen-id expiry:
     * pass the gateway's scheduler (tests pass a virtual one). Without it the engine makes a
     * one-thread scheduler of its own, closed with the engine.
     */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** An HTTP client of your own (proxy, TLS settings); the default is the JDK's. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    public CloudApiEngine build() {
      return new CloudApiEngine(this);
    }
  }
}
