package dev.wagateway.media.s3;

import dev.wagateway.ValidationException;
import dev.wagateway.media.MediaStore;
import dev.wagateway.media.MediaStreams;
import dev.wagateway.media.MediaTypes;
import dev.wagateway.media.StoredMedia;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Media in an S3 bucket, or on any S3-compatible server (MinIO, Ceph, Cloudflare R2, ...) through
 * an endpoint override with path-style addressing. Objects are keyed {@code <prefix><sha256>}; the
 * metadata rides on the object as {@code x-amz-meta-*} headers. A put spools to a temporary file
 * first (the key is the hash of the content, known only at the end, and the size limit is checked
 * before anything is sent), then uploads in one request up to {@code partSize} or as a multipart
 * upload beyond it, aborted if any part fails.
 */
public final class S3MediaStore implements MediaStore, AutoCloseable {
  /** S3's smallest part (but the last) is 5 MiB. */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private final S3Client s3;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final long partSize;
  private final Clock clock;
  private final Path spool;

  private S3MediaStore(Builder b, S3Client s3, boolean ownsClient) {
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.partSize = b.partSize;
    this.clock = b.clock;
    this.spool = b.spool;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public StoredMedia put(InputStream in, Put put, long maxBytes) throws IOException {
    Files.createDirectories(spool);
    Path temp = Files.createTempFile(spool, "wa-media-", ".part");
    try {
      Files.deleteIfExists(temp); // spool makes the file anew
      MediaStreams.Spooled spooled = MediaStreams.spool(in, temp, maxBytes);
      String id = spooled.sha256();
      long size = spooled.size();
      Optional<StoredMedia> existing = metadata(id);
      if (existing.isPresent()) {
        StoredMedia m = existing.get().keptUntilLaterOf(put.expiresAt());
        if (m != existing.get()) {
          StoredMedia copy = m;
          call(() -> s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(key(id)).destinationBucket(bucket)
              .destinationKey(key(id)).metadataDirective(MetadataDirective.REPLACE).contentType(copy.mimeType())
              .metadata(userMetadata(copy))));
        }
        return m;
      }
      StoredMedia m = new StoredMedia(id, MediaTypes.checkMime(put.mimeType()), size, clock.instant(),
          put.sourceMessageId(), put.sessionId(), put.expiresAt());
      if (size <= partSize) {
        call(() -> s3.putObject(p -> p.bucket(bucket).key(key(id)).contentType(m.mimeType()).contentLength(m.size())
            .metadata(userMetadata(m)), RequestBody.fromFile(temp)));
      } else {
        multipart(m, temp);
      }
      return m;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void multipart(StoredMedia m, Path file) throws IOException {
    String uploadId = call(() -> s3.createMultipartUpload(c -> c.bucket(bucket).key(key(m.id()))
        .contentType(m.mimeType()).metadata(userMetadata(m)))).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < m.size(); offset += partSize, number++) {
        long len = Math.min(partSize, m.size() - offset);
        long at = offset;
        int n = number;
        // re-readable: the signer reads the part once for its hash, the upload once more
        RequestBody body = RequestBody.fromContentProvider(() -> {
          try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(at);
            return MediaStreams.bounded(java.nio.channels.Channels.newInputStream(ch), len);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, len, m.mimeType());
        String etag = call(() -> s3.uploadPart(u -> u.bucket(bucket).key(key(m.id())).uploadId(uploadId).partNumber(n)
            .contentLength(len), body)).eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      call(() -> s3.completeMultipartUpload(c -> c.bucket(bucket).key(key(m.id())).uploadId(uploadId)
          .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(a -> a.bucket(bucket).key(key(m.id())).uploadId(uploadId));
      } catch (SdkException ignored) {
        // the bucket's lifecycle rule for incomplete uploads cleans up what this could not
      }
      throw e;
    }
  }

  @Override
  public Optional<StoredMedia> metadata(String id) {
    MediaStore.checkId(id);
    HeadObjectResponse h;
    try {
      h = s3.headObject(r -> r.bucket(bucket).key(key(id)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new java.io.UncheckedIOException(new IOException("S3 answered " + e.statusCode() + " for media " + id, e));
    } catch (SdkException e) {
      throw new java.io.UncheckedIOException(new IOException("S3 is unreachable: " + e.getClass().getSimpleName(), e));
    }
    Map<String, String> md = h.metadata();
    return Optional.of(new StoredMedia(id, h.contentType() == null ? "application/octet-stream" : h.contentType(),
        h.contentLength(), md.containsKey("created") ? Instant.parse(md.get("created")) : h.lastModified(),
        blankToNull(md.get("source")), blankToNull(md.get("session")),
        md.containsKey("expires") ? Instant.parse(md.get("expires")) : null));
  }

  @Override
  public Optional<InputStream> open(String id, long offset, long length) throws IOException {
    MediaStore.checkId(id);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    String range = offset == 0 && length < 0 ? null
        : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
    try {
      InputStream in = s3.getObject(g -> g.bucket(bucket).key(key(id)).range(range));
      // bounded here too: some S3-compatible servers answer "bytes=0-0" with the whole object
      return Optional.of(length < 0 ? in : MediaStreams.bounded(in, length));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException("S3 answered " + e.statusCode() + " reading media " + id, e);
    } catch (SdkException e) {
      throw new IOException("S3 is unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public boolean delete(String id) throws IOException {
    if (metadata(id).isEmpty()) {
      return false;
    }
    call(() -> s3.deleteObject(d -> d.bucket(bucket).key(key(id))));
    return true;
  }

  /** Lists the prefix and heads each object: O(objects) requests, run hourly by the gateway. */
  @Override
  public int deleteExpired(Instant now) throws IOException {
    int n = 0;
    List<String> ids = new ArrayList<>();
    call(() -> {
      for (S3Object o : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
        String id = o.key().substring(prefix.length());
        if (MediaStore.isId(id)) {
          ids.add(id);
        }
      }
      return null;
    });
    for (String id : ids) {
      if (deleteIfExpired(id, now)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void ping() throws IOException {
    call(() -> s3.headBucket(h -> h.bucket(bucket)));
  }

  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  private String key(String id) {
    return prefix + id;
  }

  private static Map<String, String> userMetadata(StoredMedia m) {
    Map<String, String> md = new HashMap<>();
    md.put("created", m.createdAt().toString());
    if (m.sourceMessageId() != null) {
      md.put("source", ascii(m.sourceMessageId()));
    }
    if (m.sessionId() != null) {
      md.put("session", m.sessionId());
    }
    if (m.expiresAt() != null) {
      md.put("expires", m.expiresAt().toString());
    }
    return md;
  }

  private static String ascii(String s) {
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? s : s.replaceAll("[^\\x20-\\x7e]", "_");
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private interface S3Call<T> {
    T run();
  }

  private static <T> T call(S3Call<T> c) throws IOException {
    try {
      return c.run();
    } catch (S3Exception e) {
      throw new IOException("S3 answered " + e.statusCode() + " (" + e.awsErrorDetails().errorCode() + ")", e);
    } catch (SdkException e) {
      throw new IOException("S3 is unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  /** How to reach the bucket. {@link #toString()} never shows the secret key. */
  public static final class Builder {
    private @Nullable URI endpoint;
    private String region = "us-east-1";
    private @Nullable AwsCredentialsProvider credentials;
    private boolean pathStyle;
    private String bucket = "";
    private String prefix = "media/";
    private long partSize = 8L * 1024 * 1024;
    private Clock clock = Clock.systemUTC();
    private Path spool = Path.of(System.getProperty("java.io.tmpdir"));
    private @Nullable S3Client client;

    private Builder() {}

    /** An S3-compatible server ({@code http://minio:9000}); omit for AWS itself. Implies path-style. */
    public Builder endpoint(String endpoint) {
      try {
        this.endpoint = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new ValidationException("media.s3.endpoint", "not a valid URL");
      }
      ValidationException.require(this.endpoint.getScheme() != null && this.endpoint.getHost() != null,
          "media.s3.endpoint", "an http(s) URL with a host");
      this.pathStyle = true;
      return this;
    }

    public Builder region(String region) {
      ValidationException.require(region != null && region.matches("[a-z0-9-]{2,32}"), "media.s3.region",
          "a region such as eu-central-1");
      this.region = region;
      return this;
    }

    /** Static keys; without them the SDK's default chain (environment, profile, instance role) is used. */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      ValidationException.require(accessKeyId != null && !accessKeyId.isBlank(), "media.s3.accessKeyId", "is required");
      ValidationException.require(secretAccessKey != null && !secretAccessKey.isBlank(), "media.s3.secretAccessKey",
          "is required");
      this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
      return this;
    }

    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    public Builder bucket(String bucket) {
      ValidationException.require(bucket != null && bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
          "media.s3.bucket", "an S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'");
      this.bucket = bucket;
      return this;
    }

    /** The key prefix, e.g. {@code media/} (default) or {@code tenant-a/media/}. */
    public Builder prefix(String prefix) {
      ValidationException.require(prefix != null && prefix.matches("([A-Za-z0-9._-]+/)*"), "media.s3.prefix",
          "segments of letters, digits, '.', '_' or '-', each ending in '/'");
      this.prefix = prefix;
      return this;
    }

    /** Objects larger than this go up as multipart uploads in parts of this size (at least 5 MiB). */
    public Builder partSize(long bytes) {
      ValidationException.require(bytes >= MIN_PART_SIZE, "media.s3.partSize", "at least 5 MiB");
      this.partSize = bytes;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where puts are spooled before the upload (the system temp directory by default). */
    public Builder spool(Path dir) {
      this.spool = Objects.requireNonNull(dir, "spool");
      return this;
    }

    /** A client of your own (it stays yours to close); the other connection settings are then ignored. */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    public S3MediaStore build() {
      ValidationException.require(!bucket.isEmpty(), "media.s3.bucket", "is required");
      if (client != null) {
        return new S3MediaStore(this, client, false);
      }
      var b = S3Client.builder().region(Region.of(region)).httpClient(UrlConnectionHttpClient.create())
          .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
          .forcePathStyle(pathStyle)
          // whole-payload signing: S3-compatible servers do not all understand aws-chunked bodies
          .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
              .chunkedEncodingEnabled(false).build())
          // S3-compatible servers differ in the newer checksum headers; ask for them only where S3 requires them
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return new S3MediaStore(this, b.build(), true);
    }

    @Override
    public String toString() {
      return "S3MediaStore.Builder[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix="
          + prefix + ", credentials=" + (credentials == null ? "default chain" : "<static, redacted>") + "]";
    }
  }
}
