package dev.wagateway.media;

import dev.wagateway.ValidationException;
import dev.wagateway.message.MediaKind;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Mime types from content: the first bytes of a file say what it is, whatever its name or the
 * caller claim. Knows the formats WhatsApp accepts (JPEG, PNG, WebP, MP4/3GPP, Ogg, MP3, AAC, AMR,
 * PDF) and a few it refuses as images (GIF, BMP).
 */
public final class MediaTypes {
  /** How many leading bytes {@link #sniff} looks at. */
  public static final int SNIFF_BYTES = 64;

  private MediaTypes() {}

  /** The mime type the content shows, if it is a format this class knows (only its first bytes are read). */
  public static Optional<String> sniff(byte[] head) {
    int n = head.length;
    if (n >= 3 && b(head, 0) == 0xFF && b(head, 1) == 0xD8 && b(head, 2) == 0xFF) {
      return Optional.of("image/jpeg");
    }
    if (n >= 8 && b(head, 0) == 0x89 && ascii(head, 1, "PNG") && b(head, 4) == 0x0D && b(head, 5) == 0x0A) {
      return Optional.of("image/png");
    }
    if (n >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return Optional.of("image/webp");
    }
    if (n >= 6 && (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a"))) {
      return Optional.of("image/gif");
    }
    if (n >= 2 && ascii(head, 0, "BM") && n >= 14) {
      return Optional.of("image/bmp");
    }
    if (n >= 12 && ascii(head, 4, "ftyp")) {
      String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
      if (brand.startsWith("3gp") || brand.startsWith("3g2")) {
        return Optional.of("video/3gpp");
      }
      if (brand.startsWith("M4A") || brand.startsWith("M4B")) {
        return Optional.of("audio/mp4");
      }
      return Optional.of("video/mp4");
    }
    if (n >= 4 && ascii(head, 0, "OggS")) {
      return Optional.of("audio/ogg");
    }
    if (n >= 3 && ascii(head, 0, "ID3")) {
      return Optional.of("audio/mpeg");
    }
    if (n >= 2 && b(head, 0) == 0xFF && (b(head, 1) & 0xF6) == 0xF0) {
      return Optional.of("audio/aac"); // ADTS
    }
    if (n >= 2 && b(head, 0) == 0xFF && (b(head, 1) & 0xE0) == 0xE0) {
      return Optional.of("audio/mpeg"); // an MPEG audio frame without an ID3 tag
    }
    if (n >= 5 && ascii(head, 0, "#!AMR")) {
      return Optional.of("audio/amr");
    }
    if (n >= 5 && ascii(head, 0, "%PDF-")) {
      return Optional.of("application/pdf");
    }
    if (n >= 4 && b(head, 0) == 'P' && b(head, 1) == 'K' && b(head, 2) == 3 && b(head, 3) == 4) {
      return Optional.of("application/zip");
    }
    return Optional.empty();
  }

  /**
   * The mime type to send {@code head}'s content as a {@code kind}: the sniffed type when the
   * content is a known format (the declared one otherwise, for documents), refused when the kind
   * does not accept it.
   *
   * @throws ValidationException naming {@code field} when the content does not fit the kind
   */
  public static String forKind(MediaKind kind, String declared, byte[] head, String field) {
    String mime = checkMime(declared);
    Optional<String> sniffed = sniff(head);
    if (kind.mimeTypes().isEmpty()) { // documents: anything, named by its content when it is known
      return sniffed.filter(s -> !s.equals("application/zip") || mime.equals("application/zip")).orElse(mime);
    }
    String actual = sniffed.orElseThrow(() -> new ValidationException(field,
        "the content is not a format WhatsApp accepts for " + kind.name().toLowerCase(Locale.ROOT) + " ("
            + kind.mimeTypes() + ")"));
    ValidationException.require(kind.mimeTypes().contains(actual), field, "the content is " + actual + ", but "
        + kind.name().toLowerCase(Locale.ROOT) + " must be one of " + kind.mimeTypes()
        + (actual.equals(mime) ? "" : " (it was declared " + mime + ")"));
    return actual;
  }

  /** Checks a mime type's shape ({@code type/subtype}, parameters dropped); returns it lower case. */
  public static String checkMime(String mimeType) {
    String m = mimeType == null ? "" : mimeType;
    int semi = m.indexOf(';');
    m = (semi >= 0 ? m.substring(0, semi) : m).strip().toLowerCase(Locale.ROOT);
    ValidationException.require(m.matches("[a-z0-9.+-]+/[a-z0-9.+-]+"), "media.mimeType",
        "a mime type such as image/jpeg is required");
    return m;
  }

  private static int b(byte[] a, int i) {
    return a[i] & 0xFF;
  }

  private static boolean ascii(byte[] a, int at, String s) {
    if (a.length < at + s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (a[at + i] != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
