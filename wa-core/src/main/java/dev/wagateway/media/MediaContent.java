package dev.wagateway.media;

import dev.wagateway.message.MediaKind;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import org.jspecify.annotations.Nullable;

/** The media of a message's content, and the same content with other media. */
public final class MediaContent {
  private MediaContent() {}

  /** The media an image, video, audio, document or sticker carries; null for other content. */
  public static @Nullable MediaSource mediaOf(MessageContent c) {
    if (c instanceof MessageContent.Image x) {
      return x.media();
    } else if (c instanceof MessageContent.Video x) {
      return x.media();
    } else if (c instanceof MessageContent.Audio x) {
      return x.media();
    } else if (c instanceof MessageContent.Document x) {
      return x.media();
    } else if (c instanceof MessageContent.Sticker x) {
      return x.media();
    }
    return null;
  }

  /** The kind of media content, for size limits; null for other content. */
  public static @Nullable MediaKind kindOf(MessageContent c) {
    return switch (c.type()) {
      case "image" -> MediaKind.IMAGE;
      case "video" -> MediaKind.VIDEO;
      case "audio" -> MediaKind.AUDIO;
      case "document" -> MediaKind.DOCUMENT;
      case "sticker" -> MediaKind.STICKER;
      default -> null;
    };
  }

  /** The size limit of {@code c}'s media (animated stickers get theirs). */
  public static long maxBytes(MessageContent c) {
    MediaKind k = kindOf(c);
    if (k == null) {
      return 0;
    }
    return c instanceof MessageContent.Sticker s && s.animated() ? MediaKind.ANIMATED_STICKER_MAX_BYTES : k.maxBytes();
  }

  /** {@code c} with {@code media} in place of its own (checked again by the content's constructor). */
  public static MessageContent withMedia(MessageContent c, MediaSource media) {
    if (c instanceof MessageContent.Image x) {
      return new MessageContent.Image(media, x.caption());
    } else if (c instanceof MessageContent.Video x) {
      return new MessageContent.Video(media, x.caption());
    } else if (c instanceof MessageContent.Audio x) {
      return new MessageContent.Audio(media, x.voiceNote());
    } else if (c instanceof MessageContent.Document x) {
      return new MessageContent.Document(media, x.fileName(), x.caption());
    } else if (c instanceof MessageContent.Sticker x) {
      return new MessageContent.Sticker(media, x.animated());
    }
    throw new IllegalArgumentException(c.type() + " content has no media");
  }
}
