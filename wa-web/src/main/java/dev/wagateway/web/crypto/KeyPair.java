package dev.wagateway.web.crypto;

import com.google.protobuf.ByteString;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.proto.WaProto;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Curve25519 key pair: 32-byte public key (Montgomery u, no 0x05 prefix) and 32-byte clamped
 * private scalar. {@link #toString()} shows only the public key.
 */
public final class KeyPair {
  private final byte[] publicKey;
  private final byte[] privateKey;

  private KeyPair(byte[] publicKey, byte[] privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /** The pair for a private key; the public key is computed from it. */
  public static KeyPair fromPrivate(byte[] privateKey) {
    byte[] clamped = Curve25519.clamp(privateKey);
    return new KeyPair(Curve25519.publicKey(clamped), clamped);
  }

  /** A pair whose halves are known to belong together (as read back from a store). */
  public static KeyPair of(byte[] publicKey, byte[] privateKey) {
    Curve25519.requireKey(publicKey, "publicKey");
    Curve25519.requireKey(privateKey, "privateKey");
    return new KeyPair(publicKey.clone(), privateKey.clone());
  }

  /** The stored form (wa-web's own records). */
  public WaProto.KeyPairRecord toRecord() {
    return WaProto.KeyPairRecord.newBuilder().setPublicKey(ByteString.copyFrom(publicKey))
        .setPrivateKey(ByteString.copyFrom(privateKey)).build();
  }

  /** A pair read back from its stored form; a malformed one is a {@link ProtocolException}. */
  public static KeyPair fromRecord(WaProto.KeyPairRecord record) {
    try {
      return of(record.getPublicKey().toByteArray(), record.getPrivateKey().toByteArray());
    } catch (ProtocolException e) {
      throw new ProtocolException("a stored key pair is malformed (" + e.getMessage() + ")");
    }
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && Arrays.equals(publicKey, k.publicKey)
        && Arrays.equals(privateKey, k.privateKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "KeyPair[public=" + HexFormat.of().formatHex(publicKey) + ", private=***]";
  }
}
