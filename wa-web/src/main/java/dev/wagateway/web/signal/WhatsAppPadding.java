package dev.wagateway.web.signal;

import dev.wagateway.web.ProtocolException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * WhatsApp pads the Message protobuf before Signal encryption with n bytes of value n (1 to 16),
 * so ciphertext lengths say less about the text.
 */
public final class WhatsAppPadding {
  private WhatsAppPadding() {}

  /** Pads with 1 to 15 bytes, as the official clients do. */
  public static byte[] pad(byte[] message, SecureRandom random) {
    return pad(message, 1 + random.nextInt(15));
  }

  public static byte[] pad(byte[] message, int n) {
    if (n < 1 || n > 16) {
      throw new IllegalArgumentException("padding is 1 to 16 bytes, got " + n);
    }
    byte[] out = Arrays.copyOf(message, message.length + n);
    Arrays.fill(out, message.length, out.length, (byte) n);
    return out;
  }

  /** The message without its padding; malformed padding is a {@link ProtocolException}. */
  public static byte[] unpad(byte[] padded) {
    if (padded.length == 0) {
      throw new ProtocolException("a decrypted message is empty: no padding");
    }
    int n = padded[padded.length - 1] & 0xff;
    if (n == 0 || n > padded.length) {
      throw new ProtocolException("a decrypted message has a padding length of " + n);
    }
    for (int i = padded.length - n; i < padded.length; i++) {
      if ((padded[i] & 0xff) != n) {
        throw new ProtocolException("a decrypted message has inconsistent padding");
      }
    }
    return Arrays.copyOf(padded, padded.length - n);
  }
}
