package dev.wagateway.store;

import dev.wagateway.StoreException;
import dev.wagateway.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys that protect credentials at rest, each with an id. New data is encrypted with the
 * {@link #currentId() current} key; older keys stay to decrypt what they wrote, which is how keys
 * rotate. {@link #toString()} shows ids only.
 */
public final class EncryptionKeys {
  private static final byte FORMAT_V1 = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, SecretKey> keys;
  private final String currentId;

  private EncryptionKeys(Map<String, SecretKey> keys, String currentId) {
    this.keys = Map.copyOf(keys);
    this.currentId = currentId;
  }

  /** One key, given as base64 of 16, 24 or 32 bytes (AES-128/192/256). */
  public static EncryptionKeys of(String id, String base64Key) {
    return builder().add(id, base64Key).current(id).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String currentId() {
    return currentId;
  }

  SecretKey current() {
    return keys.get(currentId);
  }

  Optional<SecretKey> get(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  public Set<String> ids() {
    return keys.keySet();
  }

  /**
   * Encrypts {@code plain} with AES-GCM under the current key, binding {@code context} (such as the
   * owner's id) as associated data: the result opens only with the same context.
   *
   * <p>Sealed form: {@code 0x01 | keyIdLength | keyId | 12-byte nonce | ciphertext+tag}. The key id
   * travels with the ciphertext, so data sealed under an old key still opens after rotation.
   *
   * @param what names the data in errors, e.g. {@code the credentials of session 'sales'}
   */
  public byte[] seal(byte[] plain, String context, String what) {
    byte[] keyId = currentId.getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, current(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      ByteBuffer out = ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + sealed.length);
      out.put(FORMAT_V1).put((byte) keyId.length).put(keyId).put(nonce).put(sealed);
      return out.array();
    } catch (GeneralSecurityException e) {
      throw new StoreException("encrypting " + what + " failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Opens what {@link #seal} made with the same {@code context}.
   *
   * @throws StoreException when the blob is not sealed, its key is not configured, or it was
   *     altered or sealed with another context; the message names the key id, never key material
   */
  public byte[] open(byte[] blob, String context, String what) {
    String keyId = keyIdOf(blob, what);
    SecretKey key = get(keyId).orElseThrow(() -> new StoreException(what + " was encrypted with key '"
        + keyId + "', which is not configured (configured: " + ids() + ")"));
    int offset = 2 + keyId.length();
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, offset, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(blob, offset + NONCE_BYTES, blob.length - offset - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new StoreException(what + " does not decrypt with key '" + keyId
          + "': the key is wrong or the data was altered");
    } catch (GeneralSecurityException e) {
      throw new StoreException("decrypting " + what + " failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The id of the key that sealed {@code blob}. */
  public static String keyIdOf(byte[] blob, String what) {
    if (blob.length < 2 || blob[0] != FORMAT_V1 || blob[1] < 1 || blob.length < 2 + blob[1] + NONCE_BYTES + 16) {
      throw new StoreException(what + " is not in the encrypted format (was it written without encryption?)");
    }
    return new String(blob, 2, blob[1], StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "EncryptionKeys[current=" + currentId + ", ids=" + keys.keySet() + "]";
  }

  /** Collects keys; the last added is current unless {@link #current(String)} says otherwise. */
  public static final class Builder {
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private String current;

    private Builder() {}

    public Builder add(String id, String base64Key) {
      ValidationException.require(id != null && id.matches("[A-Za-z0-9._-]{1,32}"),
          "encryption.keyId", "a key id is 1 to 32 characters of letters, digits, '.', '-', '_'");
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
      } catch (IllegalArgumentException e) {
        // The message must not echo the key material.
        throw new ValidationException("encryption.key", "key '" + id + "' is not valid base64");
      }
      ValidationException.require(raw.length == 16 || raw.length == 24 || raw.length == 32,
          "encryption.key", "key '" + id + "' must be 16, 24 or 32 bytes, was " + raw.length);
      ValidationException.require(!keys.containsKey(id), "encryption.keyId",
          "key id '" + id + "' is given twice");
      keys.put(id, new SecretKeySpec(raw, "AES"));
      current = id;
      return this;
    }

    public Builder current(String id) {
      this.current = id;
      return this;
    }

    public EncryptionKeys build() {
      ValidationException.require(!keys.isEmpty(), "encryption.keys", "at least one key is needed");
      ValidationException.require(keys.containsKey(current), "encryption.currentKeyId",
          "the current key '" + current + "' is not among the keys " + keys.keySet());
      return new EncryptionKeys(keys, current);
    }
  }
}
