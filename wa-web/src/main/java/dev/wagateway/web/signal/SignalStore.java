package dev.wagateway.web.signal;

import dev.wagateway.web.crypto.KeyPair;
import java.util.Optional;

/**
 * Where Signal state lives: our identity and pre-keys, a session record per peer device, and the
 * identity keys seen for peers. {@link InMemorySignalStore} keeps it in memory and serialises it
 * to one blob, which the engine stores as the session's credentials (encrypted at rest by the
 * core's {@code EncryptingSessionStore}).
 *
 * <p>Implementations must be safe for use from several threads; the session cipher serialises
 * work per address itself.
 */
public interface SignalStore {

  KeyPair identityKeyPair();

  int localRegistrationId();

  Optional<KeyPair> preKey(int id);

  /** Called once a one-time pre-key has been used: it must never serve again. */
  void removePreKey(int id);

  Optional<SignedPreKey> signedPreKey(int id);

  Optional<SessionRecord> loadSession(SignalAddress address);

  void storeSession(SignalAddress address, SessionRecord record);

  /**
   * Records the identity key seen for a peer. Returns true when it replaces a different one (the
   * peer reinstalled: WhatsApp accepts the new key and tells the user the security code changed).
   */
  boolean saveIdentity(SignalAddress address, byte[] identityKey);

  Optional<byte[]> identity(SignalAddress address);
}
