package dev.wagateway.media;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MediaStore} knows of one stored media object. The id is the SHA-256 of the bytes
 * in hex: the same bytes stored twice are one object.
 *
 * @param sourceMessageId the message the media came with (inbound) or was first sent in, if known
 * @param sessionId the session it belongs to, if any: the reference server scopes access by it
 * @param expiresAt when the retention job may delete it; null keeps it until deleted
 */
public record StoredMedia(String id, String mimeType, long size, Instant createdAt,
    @Nullable String sourceMessageId, @Nullable String sessionId, @Nullable Instant expiresAt) {

  public StoredMedia {
    MediaStore.checkId(id);
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** True once the retention may delete it: it has an expiry, and {@code now} reached it. */
  public boolean expiredBy(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  /**
   * The same media kept at least until {@code other} as well: the later expiry, or none when either
   * keeps it until deleted (what a second put of the same bytes asks).
   */
  public StoredMedia keptUntilLaterOf(@Nullable Instant other) {
    Instant later = expiresAt == null || other == null ? null : expiresAt.isAfter(other) ? expiresAt : other;
    return Objects.equals(later, expiresAt) ? this
        : new StoredMedia(id, mimeType, size, createdAt, sourceMessageId, sessionId, later);
  }

  /** The SHA-256 of the content, hex; the same as the id. */
  public String sha256() {
    return id;
  }
}
