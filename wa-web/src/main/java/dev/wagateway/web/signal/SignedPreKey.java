package dev.wagateway.web.signal;

import dev.wagateway.web.crypto.Curve25519;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.crypto.XEdDsa;
import java.security.SecureRandom;
import java.time.Instant;

/** A pre-key signed by the identity key (over its 33-byte 0x05 form), with its id and age. */
public record SignedPreKey(int id, KeyPair keyPair, byte[] signature, Instant createdAt) {
  public SignedPreKey {
    if (id < 0 || id > 0xFFFFFF) {
      throw new IllegalArgumentException("a signed pre-key id fits in 3 bytes");
    }
    if (signature.length != 64) {
      throw new IllegalArgumentException("a signed pre-key signature is 64 bytes");
    }
    signature = signature.clone();
  }

  public static SignedPreKey generate(KeyPair identity, int id, KeySource keys, SecureRandom random,
      Instant now) {
    KeyPair pair = keys.nextKeyPair();
    byte[] signature = XEdDsa.sign(identity.privateKey(), Curve25519.withPrefix(pair.publicKey()), random);
    return new SignedPreKey(id, pair, signature, now);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedPreKey k && id == k.id && keyPair.equals(k.keyPair)
        && java.util.Arrays.equals(signature, k.signature) && createdAt.equals(k.createdAt);
  }

  @Override
  public int hashCode() {
    return id;
  }

  @Override
  public String toString() {
    return "SignedPreKey[id=" + id + ", " + keyPair + "]";
  }
}
