package dev.wagateway.store;

import java.util.List;
import java.util.Optional;

/**
 * Wraps a {@link SessionStore} and encrypts credentials with AES-GCM before they reach it.
 *
 * <p>Stored form: {@link EncryptionKeys#seal}. The key id travels with the ciphertext, so records
 * written under an old key still decrypt after the current key changes; {@link #reencryptAll()}
 * moves them to the current key. The session id is bound as
 * associated data: credentials copied to another session do not decrypt.
 */
public final class EncryptingSessionStore implements SessionStore {
  private final SessionStore delegate;
  private final EncryptionKeys keys;

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
    return plain.withCredentials(plain.self(), keys.seal(credentials, plain.id(), what(plain.id())),
        plain.updatedAt());
  }

  private SessionRecord decrypt(SessionRecord stored) {
    byte[] blob = stored.credentials();
    if (blob == null) {
      return stored;
    }
    return stored.withCredentials(stored.self(), keys.open(blob, stored.id(), what(stored.id())),
        stored.updatedAt());
  }

  private static String what(String sessionId) {
    return "the credentials of session '" + sessionId + "'";
  }

  private static String keyIdOf(String sessionId, byte[] blob) {
    return EncryptionKeys.keyIdOf(blob, what(sessionId));
  }
}
