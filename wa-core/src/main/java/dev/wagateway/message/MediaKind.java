package dev.wagateway.message;

import java.util.Set;

/**
 * The media kinds WhatsApp accepts, with their size limits and mime types (the limits the Cloud API
 * documents; the Web protocol accepts the same in practice). Checked before anything is queued.
 */
public enum MediaKind {
  IMAGE(5L * 1024 * 1024, Set.of("image/jpeg", "image/png")),
  VIDEO(16L * 1024 * 1024, Set.of("video/mp4", "video/3gpp")),
  AUDIO(16L * 1024 * 1024,
      Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")),
  DOCUMENT(100L * 1024 * 1024, Set.of()),
  /** Static stickers; animated ones may be up to {@link #ANIMATED_STICKER_MAX_BYTES}. */
  STICKER(100L * 1024, Set.of("image/webp"));

  /** Animated stickers are allowed 500 KB. */
  public static final long ANIMATED_STICKER_MAX_BYTES = 500L * 1024;

  private final long maxBytes;
  private final Set<String> mimeTypes;

  MediaKind(long maxBytes, Set<String> mimeTypes) {
    this.maxBytes = maxBytes;
    this.mimeTypes = mimeTypes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Accepted mime types; empty means any (documents). */
  public Set<String> mimeTypes() {
    return mimeTypes;
  }
}
