package dev.wagateway.store;

import dev.wagateway.ValidationException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys that protect credentials at rest, each with an id. New data is encrypted with the
 * {@link #currentId() current} key; older keys stay to decrypt what they wrote, which is how keys
 * rotate. {@link #toString()} shows ids only.
 */
public final class EncryptionKeys {
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
