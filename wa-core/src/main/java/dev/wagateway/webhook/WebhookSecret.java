package dev.wagateway.webhook;

import dev.wagateway.ValidationException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A signing secret in the Standard Webhooks form {@code whsec_<base64>}. Its {@link #toString()}
 * never shows the key; {@link #encoded()} does, for showing it once to whoever created it.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /** A new random 32-byte secret. */
  public static WebhookSecret generate() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new WebhookSecret(k);
  }

  /**
   * Parses {@code whsec_<base64>} (the prefix may be left out).
   *
   * @throws ValidationException naming {@code field} for anything else, without echoing the input
   */
  public static WebhookSecret parse(String field, String value) {
    ValidationException.require(value != null && !value.isBlank(), field, "a secret is required");
    String b64 = value.strip().startsWith(PREFIX) ? value.strip().substring(PREFIX.length()) : value.strip();
    byte[] k;
    try {
      k = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field, "a secret is whsec_ followed by base64");
    }
    ValidationException.require(k.length >= 24 && k.length <= 64, field,
        "a secret holds 24 to 64 bytes, this one " + k.length);
    return new WebhookSecret(k);
  }

  /** The key bytes (a copy), for signing. */
  public byte[] keyBytes() {
    return key.clone();
  }

  /** The {@code whsec_...} form. Show it once; never log it. */
  public String encoded() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSecret s && MessageDigest.isEqual(s.key, key);
  }

  @Override
  public int hashCode() {
    return key.length;
  }

  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
