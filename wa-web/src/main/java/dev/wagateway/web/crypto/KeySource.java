package dev.wagateway.web.crypto;

import java.security.SecureRandom;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Where the protocol gets the key pairs it generates (ephemeral Noise keys, Signal base and
 * ratchet keys). Production uses {@link #secure()}; tests inject {@link #sequence} to follow a
 * recorded vector's fixed key order.
 */
@FunctionalInterface
public interface KeySource {

  KeyPair nextKeyPair();

  /** Fresh keys from the platform's strong random source. */
  static KeySource secure() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] privateKey = new byte[32];
      random.nextBytes(privateKey);
      return KeyPair.fromPrivate(privateKey);
    };
  }

  /**
   * The given keys, in order; asking for one more is an error (a test that drew more keys than
   * the vector recorded is wrong, not lucky).
   */
  static KeySource sequence(List<KeyPair> keys) {
    Iterator<KeyPair> it = List.copyOf(keys).iterator();
    return () -> {
      synchronized (it) {
        if (!it.hasNext()) {
          throw new NoSuchElementException("the key sequence is used up");
        }
        return it.next();
      }
    };
  }
}
