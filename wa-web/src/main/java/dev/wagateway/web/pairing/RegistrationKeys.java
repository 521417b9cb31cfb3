package dev.wagateway.web.pairing;

import dev.wagateway.web.crypto.KeyPair;
import java.util.Arrays;

/**
 * The keys a new companion device registers with: its Signal identity, a signed pre-key (signed by
 * the identity), its registration id and the ADV secret the phone will MAC the device identity
 * with. Private halves never appear in {@link #toString()}.
 */
public record RegistrationKeys(KeyPair noiseKey, KeyPair identityKey, int registrationId,
    int signedPreKeyId, KeyPair signedPreKey, byte[] signedPreKeySignature, byte[] advSecretKey) {

  public RegistrationKeys {
    if (registrationId < 1 || registrationId > 16380) {
      throw new IllegalArgumentException("registrationId must be 1..16380, got " + registrationId);
    }
    if (signedPreKeyId < 0 || signedPreKeyId > 0xFFFFFF) {
      throw new IllegalArgumentException("signedPreKeyId must fit in 3 bytes");
    }
    if (signedPreKeySignature.length != 64 || advSecretKey.length != 32) {
      throw new IllegalArgumentException("the pre-key signature is 64 bytes and the ADV secret 32");
    }
    signedPreKeySignature = signedPreKeySignature.clone();
    advSecretKey = advSecretKey.clone();
  }

  @Override
  public byte[] signedPreKeySignature() {
    return signedPreKeySignature.clone();
  }

  @Override
  public byte[] advSecretKey() {
    return advSecretKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrationKeys k && noiseKey.equals(k.noiseKey)
        && identityKey.equals(k.identityKey) && registrationId == k.registrationId
        && signedPreKeyId == k.signedPreKeyId && signedPreKey.equals(k.signedPreKey)
        && Arrays.equals(signedPreKeySignature, k.signedPreKeySignature)
        && Arrays.equals(advSecretKey, k.advSecretKey);
  }

  @Override
  public int hashCode() {
    return identityKey.hashCode() * 31 + registrationId;
  }

  @Override
  public String toString() {
    return "RegistrationKeys[identity=" + identityKey + ", registrationId=" + registrationId
        + ", signedPreKeyId=" + signedPreKeyId + ", advSecret=***]";
  }
}
