package dev.wagateway.web.crypto;

import dev.wagateway.web.ProtocolException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM (128-bit tag), AES-CBC with PKCS#7 padding and AES-CTR, through the JDK. */
public final class Aes {
  private Aes() {}

  public static byte[] gcmEncrypt(byte[] key, byte[] iv, byte[] plaintext, byte[] aad) {
    return gcm(Cipher.ENCRYPT_MODE, key, iv, plaintext, aad);
  }

  /** Throws {@link ProtocolException} when the tag does not authenticate. */
  public static byte[] gcmDecrypt(byte[] key, byte[] iv, byte[] ciphertext, byte[] aad) {
    return gcm(Cipher.DECRYPT_MODE, key, iv, ciphertext, aad);
  }

  public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
    return run("AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv), plaintext, null);
  }

  /** Throws {@link ProtocolException} for a bad length or bad padding. */
  public static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) {
    return run("AES/CBC/PKCS5Padding", Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv), ciphertext, null);
  }

  /** CTR is its own inverse: this both encrypts and decrypts. */
  public static byte[] ctr(byte[] key, byte[] iv, byte[] data) {
    return run("AES/CTR/NoPadding", Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv), data, null);
  }

  private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] data, byte[] aad) {
    return run("AES/GCM/NoPadding", mode, key, new GCMParameterSpec(128, iv), data, aad);
  }

  private static byte[] run(String transformation, int mode, byte[] key,
      java.security.spec.AlgorithmParameterSpec params, byte[] data, byte[] aad) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new ProtocolException("an AES key must be 16, 24 or 32 bytes, got " + key.length);
    }
    try {
      Cipher cipher = Cipher.getInstance(transformation);
      cipher.init(mode, new SecretKeySpec(key, "AES"), params);
      if (aad != null && aad.length > 0) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(data);
    } catch (AEADBadTagException e) {
      throw new ProtocolException("AES-GCM: the ciphertext does not authenticate");
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      throw new ProtocolException("AES: bad ciphertext length or padding");
    } catch (java.security.InvalidAlgorithmParameterException e) {
      throw new ProtocolException("AES: bad IV (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + transformation, e);
    }
  }
}
