package dev.wagateway.message;

import dev.wagateway.ValidationException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The checks every media content type shares. */
final class MediaChecks {
  private MediaChecks() {}

  /** Checks {@code media} for {@code kind}; returns it, with the mime type its bytes show when they are in memory. */
  static MediaSource check(MediaKind kind, MediaSource media) {
    return check(kind, media, kind.maxBytes());
  }

  static MediaSource check(MediaKind kind, MediaSource media, long maxBytes) {
    ValidationException.require(media != null, "content.media", "media is required");
    if (media instanceof MediaSource.Bytes b) {
      ValidationException.require(b.size() <= maxBytes, "content.media",
          kind.name().toLowerCase(Locale.ROOT) + " may be at most " + maxBytes + " bytes, this one is "
              + b.size());
      // the content decides the type, not the name or the caller's claim
      String actual = dev.wagateway.media.MediaTypes.forKind(kind, b.mimeType(), b.head(), "content.media");
      return actual.equals(b.mimeType()) ? b : b.withMimeType(actual);
    }
    if (media instanceof MediaSource.Stored st) {
      ValidationException.require(st.size() <= maxBytes, "content.media",
          kind.name().toLowerCase(Locale.ROOT) + " may be at most " + maxBytes + " bytes, this one is " + st.size());
    }
    if (!kind.mimeTypes().isEmpty()) {
      ValidationException.require(kind.mimeTypes().contains(media.mimeType()), "content.media",
          kind.name().toLowerCase(Locale.ROOT) + " must be one of " + kind.mimeTypes() + ", was "
              + media.mimeType());
    }
    return media;
  }

  static void caption(@Nullable String caption) {
    ValidationException.require(caption == null || caption.length() <= MessageContent.MAX_CAPTION_LENGTH,
        "content.caption", "a caption is at most " + MessageContent.MAX_CAPTION_LENGTH + " characters");
  }
}
