package dev.wagateway.web.crypto;

import java.io.ByteArrayOutputStream;

/** Byte-array helpers shared by the protocol layers. */
public final class Bytes {
  private Bytes() {}

  /** The parts one after another, in a new array. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
