package dev.wagateway.web.crypto;

import dev.wagateway.web.ProtocolException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 on raw 32-byte keys, through the JDK's XDH provider. Keys are little-endian as RFC 7748
 * writes them; Signal's 0x05 type prefix is handled by {@link #withPrefix} and {@link
 * #withoutPrefix}.
 */
public final class Curve25519 {
  /** Signal's key-type byte for Curve25519 public keys on the wire. */
  public static final byte DJB_TYPE = 0x05;

  private static final byte[] BASE_POINT = new byte[32];

  static {
    BASE_POINT[0] = 9;
  }

  private Curve25519() {}

  /** X25519(privateKey, publicKey); a small-order public key is refused. */
  public static byte[] agree(byte[] privateKey, byte[] publicKey) {
    requireKey(privateKey, "privateKey");
    requireKey(publicKey, "publicKey");
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      var priv = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
          privateKey.clone()));
      var pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
          toU(publicKey)));
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      return agreement.generateSecret();
    } catch (InvalidKeyException e) {
      throw new ProtocolException("X25519: the public key has small order");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  /** The public key of a private scalar. */
  public static byte[] publicKey(byte[] privateKey) {
    return agree(privateKey, BASE_POINT);
  }

  /** A copy of the scalar clamped as RFC 7748 prescribes. */
  public static byte[] clamp(byte[] privateKey) {
    requireKey(privateKey, "privateKey");
    byte[] k = privateKey.clone();
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    return k;
  }

  /** 33 bytes: 0x05 then the key. */
  public static byte[] withPrefix(byte[] publicKey) {
    requireKey(publicKey, "publicKey");
    byte[] out = new byte[33];
    out[0] = DJB_TYPE;
    System.arraycopy(publicKey, 0, out, 1, 32);
    return out;
  }

  /** The 32-byte key from its 33-byte wire form (or a bare 32-byte key). */
  public static byte[] withoutPrefix(byte[] key) {
    if (key.length == 32) {
      return key.clone();
    }
    if (key.length != 33 || key[0] != DJB_TYPE) {
      throw new ProtocolException("a Curve25519 public key must be 32 bytes, or 33 starting with 0x05; got "
          + key.length + " bytes");
    }
    byte[] out = new byte[32];
    System.arraycopy(key, 1, out, 0, 32);
    return out;
  }

  static void requireKey(byte[] key, String name) {
    if (key == null || key.length != 32) {
      throw new ProtocolException(name + " must be 32 bytes, got "
          + (key == null ? "none" : key.length + " bytes"));
    }
  }

  private static BigInteger toU(byte[] publicKey) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = publicKey[31 - i];
    }
    be[0] &= 0x7f;
    return new BigInteger(1, be);
  }
}
