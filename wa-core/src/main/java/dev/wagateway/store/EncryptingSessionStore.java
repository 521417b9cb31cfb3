package dev.wagateway.store;

import dev.wagateway.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Wraps a {@link SessionStore} and encrypts credentials with AES-GCM before they reach it.
 *
 * <p>Stored form: {@code 0x01 | keyIdLength | keyId | 12-byte nonce | ciphertext+tag}. The key id
 * travels with the ciphertext, so records written under an old key still decrypt after the current
 * key changes; {@link #reencryptAll()} moves them to the current key. The session id is bound as
 * associated data: credentials copied to another session do not decrypt.
 */
public final class EncryptingSessionStore implements SessionStore {
  private static final byte FORMAT_V1 = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SessionStore delegate;
  private final EncryptionKeys keys;
  private final SecureRandom random = new SecureRandom();

  public EncryptingSessionStore(SessionStore delegate, EncryptionKeys keys) {
    this.delegate = delegate;
    this.keys = keys;
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    return delegate.load(id).map(this::decrypt);
  }

  @Override
  public void save(SessionRecord record) {
    delegate.save(encrypt(record));
  }

  @Override
  public boolean delete(String id) {
    return delegate.delete(id);
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public List<SessionRecord> loadAll() {
    return delegate.loadAll().stream().map(this::decrypt).toList();
  }

  /**
   * Re-encrypts every record not already under the current key.
   *
   * @return how many records were rewritten
   */
  public int reencryptAll() {
    int n = 0;
    for (SessionRecord stored : delegate.loadAll()) {
      byte[] blob = stored.credentials();
      if (blob != null && !keyIdOf(stored.id(), blob).equals(keys.currentId())) {
        delegate.save(encrypt(decrypt(stored)));
        n++;
      }
    }
    return n;
  }

  private SessionRecord encrypt(SessionRecord plain) {
    byte[] credentials = plain.credentials();
    if (credentials == null) {
      return plain;
    }
    byte[] keyId = keys.currentId().getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(plain.id().getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(credentials);
      ByteBuffer out = ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + sealed.length);
      out.put(FORMAT_V1).put((byte) keyId.length).put(keyId).put(nonce).put(sealed);
      return plain.withCredentials(plain.self(), out.array(), plain.updatedAt());
    } catch (GeneralSecurityException e) {
      throw new StoreException("encrypting the credentials of session '" + plain.id() + "' failed: "
          + e.getClass().getSimpleName(), e);
    }
  }

  private SessionRecord decrypt(SessionRecord stored) {
    byte[] blob = stored.credentials();
    if (blob == null) {
      return stored;
    }
    String keyId = keyIdOf(stored.id(), blob);
    SecretKey key = keys.get(keyId).orElseThrow(() -> new StoreException("the credentials of"
        + " session '" + stored.id() + "' were encrypted with key '" + keyId + "', which is not"
        + " configured (configured: " + keys.ids() + ")"));
    int offset = 2 + keyId.length();
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, offset, NONCE_BYTES));
      cipher.updateAAD(stored.id().getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(blob, offset + NONCE_BYTES, blob.length - offset - NONCE_BYTES);
      return stored.withCredentials(stored.self(), plain, stored.updatedAt());
    } catch (AEADBadTagException e) {
      throw new StoreException("the credentials of session '" + stored.id() + "' do not decrypt"
          + " with key '" + keyId + "': the key is wrong or the data was altered");
    } catch (GeneralSecurityException e) {
      throw new StoreException("decrypting the credentials of session '" + stored.id()
          + "' failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private static String keyIdOf(String sessionId, byte[] blob) {
    if (blob.length < 2 || blob[0] != FORMAT_V1 || blob[1] < 1 || blob.length < 2 + blob[1] + NONCE_BYTES + 16) {
      throw new StoreException("the stored credentials of session '" + sessionId
          + "' are not in the encrypted format (were they written without encryption?)");
    }
    return new String(blob, 2, blob[1], StandardCharsets.US_ASCII);
  }
}
