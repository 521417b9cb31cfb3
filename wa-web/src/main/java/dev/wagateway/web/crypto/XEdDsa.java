package dev.wagateway.web.crypto;

import dev.wagateway.web.ProtocolException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * XEdDSA signatures over Curve25519 keys, as Signal's specification defines them
 * (signal.org/docs/specifications/xeddsa). WhatsApp signs certificates, pre-keys and device
 * identities this way.
 *
 * <p>Signing follows the specification exactly: the Edwards key is forced to sign bit 0 (the scalar
 * is negated when needed), so every signature also verifies under implementations that carry the
 * sign bit in the signature's last byte. Verification accepts both: it restores the sign bit from
 * bit 255 of the signature (which is 0 for specification signatures), converts the Montgomery u
 * to Edwards y = (u-1)/(u+1) and runs a full Ed25519 verification (BouncyCastle), which refuses a
 * non-canonical s, a point off the curve and, of course, a wrong signature.
 *
 * <p>The base-point multiplications use BouncyCastle's constant-time field arithmetic in a
 * Montgomery ladder; the scalar arithmetic mod q uses {@link BigInteger}, which is not constant
 * time (a documented limitation, docs/web-protocol.md).
 */
public final class XEdDsa {
  public static final int SIGNATURE_LENGTH = 64;

  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger Q = BigInteger.TWO.pow(252)
      .add(new BigInteger("27742317777372353535851937790883648493"));
  private static final byte[] HASH1_PREFIX = new byte[32];

  static {
    Arrays.fill(HASH1_PREFIX, (byte) 0xff);
    HASH1_PREFIX[0] = (byte) 0xfe;
  }

  private XEdDsa() {}

  public static byte[] sign(byte[] privateKey, byte[] message, SecureRandom random) {
    byte[] z = new byte[64];
    random.nextBytes(z);
    return sign(privateKey, message, z);
  }

  /** Signs with the given 64 random bytes Z (tests pass fixed ones to reproduce a signature). */
  public static byte[] sign(byte[] privateKey, byte[] message, byte[] z) {
    if (z.length != 64) {
      throw new IllegalArgumentException("Z must be 64 random bytes");
    }
    byte[] k = Curve25519.clamp(privateKey);
    // calculate_key_pair: E = kB; A = E with sign bit 0; a = k, or -k when E's sign bit is 1
    byte[] edPublic = EdPoint.scalarMultBase(k);
    int signBit = (edPublic[31] >> 7) & 1;
    BigInteger kScalar = littleEndian(k).mod(Q);
    BigInteger a = signBit == 1 ? Q.subtract(kScalar).mod(Q) : kScalar;
    byte[] aBytes = toLittleEndian(a);
    edPublic[31] &= 0x7f;

    MessageDigest sha512 = Hashes.digest("SHA-512");
    sha512.update(HASH1_PREFIX);
    sha512.update(aBytes);
    sha512.update(message);
    sha512.update(z);
    BigInteger r = littleEndian(sha512.digest()).mod(Q);
    byte[] rPoint = EdPoint.scalarMultBase(toLittleEndian(r));

    sha512.reset();
    sha512.update(rPoint);
    sha512.update(edPublic);
    sha512.update(message);
    BigInteger h = littleEndian(sha512.digest()).mod(Q);
    BigInteger s = r.add(h.multiply(a)).mod(Q);

    byte[] signature = new byte[SIGNATURE_LENGTH];
    System.arraycopy(rPoint, 0, signature, 0, 32);
    System.arraycopy(toLittleEndian(s), 0, signature, 32, 32);
    Arrays.fill(aBytes, (byte) 0);
    Arrays.fill(k, (byte) 0);
    return signature;
  }

  /** True only for a valid signature; malformed keys or signatures are simply invalid. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || publicKey.length != 32 || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    BigInteger u = littleEndian(publicKey);
    if (u.compareTo(P) >= 0 || u.equals(P.subtract(BigInteger.ONE))) {
      return false; // not canonical, or u = -1 which has no Edwards image
    }
    BigInteger y = u.subtract(BigInteger.ONE).multiply(u.add(BigInteger.ONE).modInverse(P)).mod(P);
    byte[] edPublic = toLittleEndian(y);
    edPublic[31] |= (byte) (signature[63] & 0x80);
    byte[] sig = signature.clone();
    sig[63] &= 0x7f;
    try {
      return Ed25519.verify(sig, 0, edPublic, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Verifies or throws {@link ProtocolException} naming what failed. */
  public static void requireValid(byte[] publicKey, byte[] message, byte[] signature, String what) {
    if (!verify(publicKey, message, signature)) {
      throw new ProtocolException(what + ": the signature does not verify");
    }
  }

  static BigInteger littleEndian(byte[] bytes) {
    byte[] be = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      be[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static byte[] toLittleEndian(BigInteger value) {
    byte[] be = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < Math.min(32, be.length); i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  /**
   * Twisted Edwards points (a = -1) in extended coordinates over BouncyCastle's constant-time
   * field, with the unified addition formula (add-2008-hwcd-3), which is complete on this curve
   * and so also doubles.
   */
  static final class EdPoint {
    private static final int[] D2 = fe("59f1b226949bd6eb56b183829a14e00030d1f3eef2808e19e7fcdf56dcd90624");
    private static final int[] BX = fe("1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921");
    private static final int[] BY = fe("5866666666666666666666666666666666666666666666666666666666666666");
    private static final int[] BT = fe("a3ddb7a5b38ade6df5525177809ff0207de3ab648e4eea6665768bd70f5f8767");

    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();

    private static int[] fe(String hex) {
      int[] out = X25519Field.create();
      X25519Field.decode(java.util.HexFormat.of().parseHex(hex), 0, out);
      return out;
    }

    static EdPoint identity() {
      EdPoint p = new EdPoint();
      X25519Field.one(p.y);
      X25519Field.one(p.z);
      return p;
    }

    static EdPoint base() {
      EdPoint p = new EdPoint();
      X25519Field.copy(BX, 0, p.x, 0);
      X25519Field.copy(BY, 0, p.y, 0);
      X25519Field.one(p.z);
      X25519Field.copy(BT, 0, p.t, 0);
      return p;
    }

    /** r = p + q (r may be p or q). */
    static void add(EdPoint p, EdPoint q, EdPoint r) {
      int[] a = X25519Field.create();
      int[] b = X25519Field.create();
      int[] c = X25519Field.create();
      int[] d = X25519Field.create();
      int[] tmp = X25519Field.create();
      X25519Field.sub(p.y, p.x, a);
      X25519Field.sub(q.y, q.x, tmp);
      X25519Field.mul(a, tmp, a);
      X25519Field.add(p.y, p.x, b);
      X25519Field.add(q.y, q.x, tmp);
      X25519Field.mul(b, tmp, b);
      X25519Field.mul(p.t, q.t, c);
      X25519Field.mul(c, D2, c);
      X25519Field.mul(p.z, q.z, d);
      X25519Field.add(d, d, d);
      int[] e = X25519Field.create();
      int[] f = X25519Field.create();
      int[] g = X25519Field.create();
      int[] h = X25519Field.create();
      X25519Field.sub(b, a, e);
      X25519Field.sub(d, c, f);
      X25519Field.add(d, c, g);
      X25519Field.add(b, a, h);
      X25519Field.mul(e, f, r.x);
      X25519Field.mul(g, h, r.y);
      X25519Field.mul(e, h, r.t);
      X25519Field.mul(f, g, r.z);
    }

    static void cswap(int swap, EdPoint p, EdPoint q) {
      X25519Field.cswap(swap, p.x, q.x);
      X25519Field.cswap(swap, p.y, q.y);
      X25519Field.cswap(swap, p.z, q.z);
      X25519Field.cswap(swap, p.t, q.t);
    }

    /** The encoded point k·B for a 32-byte little-endian scalar (all 256 bits are used). */
    static byte[] scalarMultBase(byte[] scalar) {
      EdPoint r0 = identity();
      EdPoint r1 = base();
      for (int i = 255; i >= 0; i--) {
        int bit = (scalar[i >>> 3] >>> (i & 7)) & 1;
        cswap(bit, r0, r1);
        add(r0, r1, r1);
        add(r0, r0, r0);
        cswap(bit, r0, r1);
      }
      return r0.encode();
    }

    byte[] encode() {
      int[] zInv = X25519Field.create();
      X25519Field.inv(z, zInv);
      int[] ax = X25519Field.create();
      int[] ay = X25519Field.create();
      X25519Field.mul(x, zInv, ax);
      X25519Field.mul(y, zInv, ay);
      X25519Field.normalize(ax);
      X25519Field.normalize(ay);
      byte[] xb = new byte[32];
      byte[] out = new byte[32];
      X25519Field.encode(ax, xb, 0);
      X25519Field.encode(ay, out, 0);
      out[31] |= (byte) ((xb[0] & 1) << 7);
      return out;
    }
  }
}
