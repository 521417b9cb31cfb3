package dev.wagateway.message;

import dev.wagateway.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where media comes from: a URL the engine fetches, or bytes held in memory. A stream is read into
 * bytes at once, up to the size limit, so that retries can send it again.
 */
public sealed interface MediaSource {

  /** The mime type, lower case, e.g. {@code image/jpeg}. */
  String mimeType();

  /** Media at an http(s) URL. */
  static MediaSource url(String url, String mimeType) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("media.url", "not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    ValidationException.require(scheme.equals("https") || scheme.equals("http"), "media.url",
        "only http and https URLs are supported");
    ValidationException.require(uri.getHost() != null, "media.url", "the URL has no host");
    return new Url(uri, mime(mimeType));
  }

  /**
   * Media the provider already holds under {@code mediaId} (an id the Cloud API returned for an
   * upload, or one an inbound message carried); sent by reference, no bytes move.
   */
  static MediaSource uploaded(String mediaId, String mimeType) {
    ValidationException.require(mediaId != null && mediaId.matches("[A-Za-z0-9._-]{1,128}"), "media.id",
        "a media id is 1 to 128 letters, digits, '.', '_' or '-'");
    return new Uploaded(mediaId, mime(mimeType));
  }

  /** Media in the gateway's {@link dev.wagateway.media.MediaStore} under {@code mediaId} (its SHA-256). */
  static MediaSource stored(String mediaId, String mimeType, long size) {
    ValidationException.require(mediaId != null && mediaId.matches("[0-9a-f]{64}"), "media.gatewayMediaId",
        "a gateway media id is 64 lower-case hex characters");
    ValidationException.require(size > 0, "media.size", "stored media has a size");
    return new Stored(mediaId, mime(mimeType), size);
  }

  /** Media held in memory; the array is copied. */
  static MediaSource bytes(byte[] data, String mimeType) {
    ValidationException.require(data != null && data.length > 0, "media.data", "media is empty");
    return new Bytes(data.clone(), mime(mimeType));
  }

  /**
   * Reads {@code in} to its end (at most {@code maxBytes}), then closes it.
   *
   * @throws ValidationException when the stream holds more than {@code maxBytes}
   */
  static MediaSource stream(InputStream in, String mimeType, long maxBytes) {
    try (in) {
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      ValidationException.require(data.length <= maxBytes, "media.data",
          "the stream holds more than " + maxBytes + " bytes");
      return bytes(data, mimeType);
    } catch (IOException e) {
      throw new UncheckedIOException("reading media stream failed", e);
    }
  }

  /**
   * Reads a file (at most {@code maxBytes}); its type is then taken from its content when the
   * content shows one, not from its name.
   *
   * @throws ValidationException when the file is missing, unreadable or larger than {@code maxBytes}
   */
  static MediaSource file(java.nio.file.Path file, String mimeType, long maxBytes) {
    ValidationException.require(file != null && java.nio.file.Files.isRegularFile(file), "media.file",
        "not a readable file");
    try {
      long size = java.nio.file.Files.size(file);
      ValidationException.require(size <= maxBytes, "media.file", "the file has " + size + " bytes, more than "
          + maxBytes);
      return stream(java.nio.file.Files.newInputStream(file), mimeType, maxBytes);
    } catch (IOException e) {
      throw new ValidationException("media.file", "cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private static String mime(String mimeType) {
    ValidationException.require(mimeType != null && mimeType.matches("[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+"),
        "media.mimeType", "a mime type such as image/jpeg is required");
    return mimeType.toLowerCase(Locale.ROOT);
  }

  /** Media the engine fetches from {@code uri}; its size is checked when fetched. */
  record Url(URI uri, String mimeType) implements MediaSource {}

  /** Media held by the provider under an id (see {@link #uploaded}). */
  record Uploaded(String mediaId, String mimeType) implements MediaSource {}

  /** Media in the gateway's media store (see {@link #stored}); engines get its bytes from the gateway. */
  record Stored(String mediaId, String mimeType, long size) implements MediaSource {}

  /** Media in memory. */
  record Bytes(byte[] data, String mimeType) implements MediaSource {
    public Bytes {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    public int size() {
      return data.length;
    }

    /** The first bytes, for sniffing the type (no copy of the whole). */
    public byte[] head() {
      return java.util.Arrays.copyOf(data, Math.min(data.length, dev.wagateway.media.MediaTypes.SNIFF_BYTES));
    }

    /** The same bytes under another mime type. */
    public Bytes withMimeType(String mimeType) {
      return new Bytes(data, mimeType);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && b.mimeType.equals(mimeType) && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(data) + mimeType.hashCode();
    }

    @Override
    public String toString() {
      return "Bytes[" + data.length + " bytes, " + mimeType + "]";
    }
  }
}
