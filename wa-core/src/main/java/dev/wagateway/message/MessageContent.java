package dev.wagateway.message;

import dev.wagateway.ValidationException;
import dev.wagateway.jid.PhoneNumbers;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a message carries. Every constructor validates, so a content value that exists is sendable;
 * errors name the field ({@code content.body}, {@code content.media}, ...).
 */
public sealed interface MessageContent {
  /** WhatsApp's limit on text bodies. */
  int MAX_TEXT_LENGTH = 4096;
  /** WhatsApp's limit on media captions. */
  int MAX_CAPTION_LENGTH = 1024;

  /** A low-cardinality name for metrics and webhooks: text, image, video, ... */
  String type();

  static Text text(String body) {
    return new Text(body, false);
  }

  record Text(String body, boolean previewUrl) implements MessageContent {
    public Text {
      ValidationException.require(body != null && !body.isBlank(), "content.body", "text is empty");
      ValidationException.require(body.length() <= MAX_TEXT_LENGTH, "content.body",
          "text is " + body.length() + " characters, the limit is " + MAX_TEXT_LENGTH);
    }

    @Override
    public String type() {
      return "text";
    }

    /** Text is never printed whole: it is the user's message. */
    @Override
    public String toString() {
      return "Text[" + body.length() + " chars]";
    }
  }

  record Image(MediaSource media, @Nullable String caption) implements MessageContent {
    public Image {
      MediaChecks.check(MediaKind.IMAGE, media);
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "image";
    }
  }

  record Video(MediaSource media, @Nullable String caption) implements MessageContent {
    public Video {
      MediaChecks.check(MediaKind.VIDEO, media);
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "video";
    }
  }

  /** Audio; {@code voiceNote} sends it as a push-to-talk voice message (which can be PLAYED). */
  record Audio(MediaSource media, boolean voiceNote) implements MessageContent {
    public Audio {
      MediaChecks.check(MediaKind.AUDIO, media);
    }

    @Override
    public String type() {
      return "audio";
    }
  }

  record Document(MediaSource media, String fileName, @Nullable String caption)
      implements MessageContent {
    public Document {
      MediaChecks.check(MediaKind.DOCUMENT, media);
      ValidationException.require(fileName != null && !fileName.isBlank() && fileName.length() <= 240,
          "content.fileName", "a document needs a file name of 1 to 240 characters");
      ValidationException.require(fileName.indexOf('/') < 0 && fileName.indexOf('\\') < 0,
          "content.fileName", "a file name has no path separators");
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "document";
    }
  }

  record Sticker(MediaSource media, boolean animated) implements MessageContent {
    public Sticker {
      MediaChecks.check(MediaKind.STICKER, media,
          animated ? MediaKind.ANIMATED_STICKER_MAX_BYTES : MediaKind.STICKER.maxBytes());
    }

    @Override
    public String type() {
      return "sticker";
    }
  }

  record Location(double latitude, double longitude, @Nullable String name, @Nullable String address)
      implements MessageContent {
    public Location {
      ValidationException.require(Double.isFinite(latitude) && latitude >= -90 && latitude <= 90,
          "content.latitude", "latitude must be between -90 and 90");
      ValidationException.require(Double.isFinite(longitude) && longitude >= -180 && longitude <= 180,
          "content.longitude", "longitude must be between -180 and 180");
      ValidationException.require(name == null || name.length() <= 1000, "content.name",
          "a location name is at most 1000 characters");
      ValidationException.require(address == null || address.length() <= 1000, "content.address",
          "a location address is at most 1000 characters");
    }

    @Override
    public String type() {
      return "location";
    }
  }

  /** A contact card: a display name and one or more phone numbers (normalised to E.164 digits). */
  record Contact(String displayName, List<String> phoneNumbers) implements MessageContent {
    public Contact {
      ValidationException.require(displayName != null && !displayName.isBlank()
          && displayName.length() <= 256, "content.displayName",
          "a contact needs a display name of 1 to 256 characters");
      ValidationException.require(phoneNumbers != null && !phoneNumbers.isEmpty()
          && phoneNumbers.size() <= 20, "content.phoneNumbers",
          "a contact needs 1 to 20 phone numbers");
      String[] normalised = new String[phoneNumbers.size()];
      for (int i = 0; i < normalised.length; i++) {
        normalised[i] = PhoneNumbers.normalize("content.phoneNumbers[" + i + "]", phoneNumbers.get(i));
      }
      phoneNumbers = List.of(normalised);
    }

    @Override
    public String type() {
      return "contact";
    }

    @Override
    public String toString() {
      return "Contact[" + phoneNumbers.size() + " numbers]";
    }
  }

  /** A reaction to a message; an empty emoji removes an earlier reaction. */
  record Reaction(String targetMessageId, String emoji) implements MessageContent {
    public Reaction {
      ValidationException.require(targetMessageId != null && !targetMessageId.isBlank()
          && targetMessageId.length() <= 128, "content.targetMessageId",
          "a reaction names the message it reacts to (1 to 128 characters)");
      ValidationException.require(emoji != null && emoji.codePointCount(0, emoji.length()) <= 10,
          "content.emoji", "a reaction is one emoji (or empty to remove it)");
    }

    @Override
    public String type() {
      return "reaction";
    }
  }
}
