package dev.wagateway.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What every media store does with streams: spool with a limit and a hash, read a bounded part. */
public final class MediaStreams {
  private MediaStreams() {}

  /** A spooled stream: its SHA-256 in hex (the media id) and its size. */
  public record Spooled(String sha256, long size) {}

  /**
   * Copies {@code in} (then closed) into the new file {@code to}, at most {@code maxBytes}, hashing on
   * the way. On any failure, the limit included, the file is removed before the exception leaves.
   *
   * @throws MediaTooLargeException past {@code maxBytes}
   */
  public static Spooled spool(InputStream in, Path to, long maxBytes) throws IOException {
    MessageDigest sha = sha256();
    long size = 0;
    try (InputStream src = in;
        OutputStream out = new DigestOutputStream(Files.newOutputStream(to, StandardOpenOption.CREATE_NEW), sha)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = src.read(buf)) > 0; ) {
        size += n;
        if (size > maxBytes) {
          throw new MediaTooLargeException("media", maxBytes);
        }
        out.write(buf, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(to);
      throw e;
    }
    return new Spooled(HexFormat.of().formatHex(sha.digest()), size);
  }

  /**
   * Reads a downloaded body of at most {@code maxBytes}: refused at once when its declared
   * {@code Content-Length} is larger, and again while reading when it sends more than it said.
   *
   * @throws MediaTooLargeException naming {@code field}
   */
  public static byte[] readLimited(InputStream in, java.util.Optional<String> contentLength, long maxBytes,
      String field) throws IOException {
    if (contentLength.isPresent() && contentLength.get().matches("[0-9]{1,18}")
        && Long.parseLong(contentLength.get()) > maxBytes) {
      throw new MediaTooLargeException(field, maxBytes);
    }
    byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (data.length > maxBytes) {
      throw new MediaTooLargeException(field, maxBytes);
    }
    return data;
  }

  /** The SHA-256 of {@code data} in hex: the media id those bytes have in any store. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** At most {@code length} bytes of {@code in}; closing it closes {@code in}. */
  public static InputStream bounded(InputStream in, long length) {
    return new Bounded(in, length);
  }

  private static final class Bounded extends FilterInputStream {
    private long remaining;

    Bounded(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
