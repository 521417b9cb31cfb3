package dev.wagateway.web.binary;

import dev.wagateway.web.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Encodes and decodes binary nodes as they travel inside Noise frames: one flags byte (bit 1 =
 * the rest is zlib-compressed), then the node.
 *
 * <p>Decoding is defensive: compressed frames inflate to at most {@link #DEFAULT_MAX_INFLATED}
 * bytes, nodes nest at most {@link #DEFAULT_MAX_DEPTH} deep, and any malformed input ends in a
 * {@link ProtocolException}, never another exception, a loop or an allocation the input cannot
 * justify.
 */
public final class BinaryNodes {
  public static final int DEFAULT_MAX_INFLATED = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_DEPTH = 64;

  private BinaryNodes() {}

  /** The frame payload for a node: flags byte 0, then the node (we never compress). */
  public static byte[] encode(Node node) {
    return new NodeEncoder(Dictionary.v3()).encodeFrame(node);
  }

  public static Node decode(byte[] frame) {
    return decode(frame, DEFAULT_MAX_INFLATED);
  }

  public static Node decode(byte[] frame, int maxInflated) {
    if (frame.length == 0) {
      throw new ProtocolException("binary node: an empty frame");
    }
    int flags = frame[0] & 0xff;
    if ((flags & 2) != 0) {
      byte[] inflated = inflate(frame, maxInflated);
      return new NodeDecoder(Dictionary.v3(), inflated, 0, DEFAULT_MAX_DEPTH).decodeAll();
    }
    return new NodeDecoder(Dictionary.v3(), frame, 1, DEFAULT_MAX_DEPTH).decodeAll();
  }

  private static byte[] inflate(byte[] frame, int maxInflated) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(frame, 1, frame.length - 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxInflated, frame.length * 4));
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0) {
          if (inflater.needsInput() || inflater.needsDictionary()) {
            throw new ProtocolException("binary node: the compressed frame is truncated");
          }
        }
        if (out.size() + n > maxInflated) {
          throw new ProtocolException("binary node: the frame inflates past " + maxInflated + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new ProtocolException("binary node: the compressed frame is not valid zlib");
    } finally {
      inflater.end();
    }
  }
}
