package dev.wagateway.web.noise;

import dev.wagateway.web.crypto.Aes;

/**
 * An AES-256-GCM key with its nonce counter. WhatsApp's nonce is 12 bytes: eight zero bytes, then
 * the counter as a big-endian 32-bit number; a key is never used past 2^32 messages.
 */
final class CipherState {
  private static final long MAX_COUNTER = 0xFFFF_FFFFL;

  private final byte[] key;
  private long counter;

  CipherState(byte[] key) {
    this.key = key.clone();
  }

  byte[] encrypt(byte[] plaintext, byte[] aad) {
    return Aes.gcmEncrypt(key, nextNonce(), plaintext, aad);
  }

  byte[] decrypt(byte[] ciphertext, byte[] aad) {
    return Aes.gcmDecrypt(key, nextNonce(), ciphertext, aad);
  }

  long counter() {
    return counter;
  }

  private byte[] nextNonce() {
    if (counter > MAX_COUNTER) {
      throw new IllegalStateException("the Noise nonce is used up; the connection must be renewed");
    }
    long n = counter++;
    byte[] iv = new byte[12];
    iv[8] = (byte) (n >>> 24);
    iv[9] = (byte) (n >>> 16);
    iv[10] = (byte) (n >>> 8);
    iv[11] = (byte) n;
    return iv;
  }
}
