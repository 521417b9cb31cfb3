package dev.wagateway.web.crypto;

import java.io.ByteArrayOutputStream;

/** Byte-array helpers shared by the protocol layers. */
public final class Bytes {
  private Bytes() {}

  /** {@code value} as {@code length} big-endian bytes (the low ones; 3 for key ids, 4 for registration ids). */
  public static byte[] bigEndian(int value, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[length - 1 - i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  /** The unsigned big-endian number in {@code bytes} (at most 4 are meaningful). */
  public static int readBigEndian(byte[] bytes) {
    int v = 0;
    for (byte b : bytes) {
      v = v << 8 | (b & 0xff);
    }
    return v;
  }

  /** The parts one after another, in a new array. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
