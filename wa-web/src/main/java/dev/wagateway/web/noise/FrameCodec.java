package dev.wagateway.web.noise;

import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * WhatsApp's framing over the WebSocket: each frame is a 3-byte big-endian length and the bytes;
 * the very first frame the client sends is preceded by the intro header ("WA", 6, 3). Incoming
 * bytes may split or join frames arbitrarily; {@link #feed} returns the frames completed so far
 * and keeps the rest. Not thread-safe (one reader).
 */
public final class FrameCodec {
  /** The largest payload a 3-byte length can announce. */
  public static final int MAX_FRAME = (1 << 24) - 1;

  private final int maxFrame;
  private boolean headerSent;
  private byte[] pending = new byte[0];

  public FrameCodec() {
    this(MAX_FRAME);
  }

  /** A codec refusing frames larger than {@code maxFrame} bytes (at most {@link #MAX_FRAME}). */
  public FrameCodec(int maxFrame) {
    if (maxFrame < 1 || maxFrame > MAX_FRAME) {
      throw new IllegalArgumentException("maxFrame must be 1.." + MAX_FRAME + ", got " + maxFrame);
    }
    this.maxFrame = maxFrame;
  }

  /** The bytes to send for one frame; the first call also sends the intro header. */
  public byte[] encode(byte[] payload) {
    if (payload.length > maxFrame) {
      throw new IllegalArgumentException("a frame may carry at most " + maxFrame + " bytes, got "
          + payload.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 7);
    if (!headerSent) {
      out.writeBytes(NoiseHandshake.WA_HEADER);
      headerSent = true;
    }
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** Adds received bytes; returns every frame now complete, in order. */
  public List<byte[]> feed(byte[] data) {
    byte[] buffer = pending.length == 0 ? data : Bytes.concat(pending, data);
    List<byte[]> frames = new ArrayList<>();
    int pos = 0;
    while (buffer.length - pos >= 3) {
      int length = (buffer[pos] & 0xff) << 16 | (buffer[pos + 1] & 0xff) << 8 | (buffer[pos + 2] & 0xff);
      if (length > maxFrame) {
        throw new ProtocolException("a frame of " + length + " bytes exceeds the limit of " + maxFrame);
      }
      if (buffer.length - pos - 3 < length) {
        break;
      }
      frames.add(Arrays.copyOfRange(buffer, pos + 3, pos + 3 + length));
      pos += 3 + length;
    }
    pending = Arrays.copyOfRange(buffer, pos, buffer.length);
    return frames;
  }

  /** Bytes received that do not yet make a whole frame. */
  public int pendingBytes() {
    return pending.length;
  }
}
