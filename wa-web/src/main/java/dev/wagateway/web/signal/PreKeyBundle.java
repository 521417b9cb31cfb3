package dev.wagateway.web.signal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What the server hands out for a device we want to start a session with: its identity key, a
 * signed pre-key and, while it has any left, a one-time pre-key. Keys are 32 bytes, no prefix.
 */
public record PreKeyBundle(int registrationId, @Nullable Integer preKeyId,
    byte @Nullable [] preKey, int signedPreKeyId, byte[] signedPreKey,
    byte[] signedPreKeySignature, byte[] identityKey) {

  public PreKeyBundle {
    if ((preKeyId == null) != (preKey == null)) {
      throw new IllegalArgumentException("a one-time pre-key needs both its id and its key");
    }
    preKey = preKey == null ? null : preKey.clone();
    signedPreKey = signedPreKey.clone();
    signedPreKeySignature = signedPreKeySignature.clone();
    identityKey = identityKey.clone();
  }

  @Override
  public byte @Nullable [] preKey() {
    return preKey == null ? null : preKey.clone();
  }

  @Override
  public byte[] signedPreKey() {
    return signedPreKey.clone();
  }

  @Override
  public byte[] signedPreKeySignature() {
    return signedPreKeySignature.clone();
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreKeyBundle b && registrationId == b.registrationId
        && java.util.Objects.equals(preKeyId, b.preKeyId) && Arrays.equals(preKey, b.preKey)
        && signedPreKeyId == b.signedPreKeyId && Arrays.equals(signedPreKey, b.signedPreKey)
        && Arrays.equals(signedPreKeySignature, b.signedPreKeySignature)
        && Arrays.equals(identityKey, b.identityKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(identityKey) * 31 + signedPreKeyId;
  }
}
