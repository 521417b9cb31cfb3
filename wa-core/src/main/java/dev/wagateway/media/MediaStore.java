package dev.wagateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Media bytes by content address. {@link #put} reads a stream to its end, at most a limit, and
 * stores it under the SHA-256 of its bytes, so a repeated upload costs nothing and a key can never
 * point outside the store. Implementations: {@link FileSystemMediaStore} (the default) and the
 * S3-compatible store of wa-media-s3; both pass {@code MediaStoreContract}.
 */
public interface MediaStore {

  /** What a caller says of media it stores. */
  record Put(String mimeType, @Nullable String sourceMessageId, @Nullable String sessionId,
      @Nullable Instant expiresAt) {
    public Put {
      MediaTypes.checkMime(mimeType);
    }
  }

  /**
   * Stores the stream's bytes (the stream is read to its end and closed). When the same bytes are
   * already stored the existing object is kept, with the later of the two expiries.
   *
   * @throws MediaTooLargeException past {@code maxBytes}: nothing is kept
   * @throws IOException when reading or writing fails: nothing is kept
   */
  StoredMedia put(InputStream in, Put put, long maxBytes) throws IOException;

  Optional<StoredMedia> metadata(String id);

  /** The bytes from {@code offset} on, {@code length} of them (or to the end when negative). */
  Optional<InputStream> open(String id, long offset, long length) throws IOException;

  default Optional<InputStream> open(String id) throws IOException {
    return open(id, 0, -1);
  }

  /** Removes the object; returns false when there was none. */
  boolean delete(String id) throws IOException;

  /** Deletes one object if its metadata says it expired by {@code now}; true when it did. */
  default boolean deleteIfExpired(String id, Instant now) throws IOException {
    Optional<StoredMedia> m = metadata(id);
    return m.isPresent() && m.get().expiredBy(now) && delete(id);
  }

  /** Removes what expired by {@code now}; returns how many objects. */
  int deleteExpired(Instant now) throws IOException;

  /** Throws when the store cannot be reached or written (for health checks). */
  void ping() throws IOException;

  /** True for a media id: 64 lower-case hex characters (a SHA-256). */
  static boolean isId(@Nullable String id) {
    return id != null && id.matches("[0-9a-f]{64}");
  }

  /** A media id is 64 lower-case hex characters (a SHA-256); anything else is refused. */
  static String checkId(String id) {
    if (!isId(id)) {
      throw new IllegalArgumentException("a media id is 64 lower-case hex characters");
    }
    return id;
  }
}
