package dev.wagateway.web.crypto;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.web.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The primitives against their published test vectors (RFC 5869, RFC 4231, NIST SP 800-38A). */
class PrimitivesTest {

  @Test
  void hkdfRfc5869CaseOne() {
    byte[] okm = Hashes.hkdf(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
        hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(hex(okm)).isEqualTo(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void hmacRfc4231CaseOneAndTheEmptyKey() {
    assertThat(hex(Hashes.hmacSha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
        "Hi There".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    // HMAC with an empty key is defined (the zero block): same as a key of 32 zero bytes
    assertThat(Hashes.hmacSha256(new byte[0], new byte[] {1})).isEqualTo(Hashes.hmacSha256(new byte[32], new byte[] {1}));
  }

  @Test
  void aesModesAgainstNist() {
    byte[] key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    byte[] block = hex("6bc1bee22e409f96e93d7e117393172a");
    assertThat(hex(Aes.ctr(key, hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), block)))
        .isEqualTo("874d6191b620e3261bef6864990db6ce");
    byte[] cbc = Aes.cbcEncrypt(key, hex("000102030405060708090a0b0c0d0e0f"), block);
    assertThat(hex(Arrays.copyOf(cbc, 16))).isEqualTo("7649abac8119b246cee98e9b12e9197d");
    assertThat(cbc).hasSize(32); // PKCS#7 adds a whole block
    assertThat(Aes.cbcDecrypt(key, hex("000102030405060708090a0b0c0d0e0f"), cbc)).isEqualTo(block);
    assertThatThrownBy(() -> Aes.cbcDecrypt(key, new byte[16], new byte[15]))
        .isInstanceOf(ProtocolException.class);
    byte[] gcm = Aes.gcmEncrypt(new byte[32], new byte[12], block, new byte[] {9});
    assertThat(Aes.gcmDecrypt(new byte[32], new byte[12], gcm, new byte[] {9})).isEqualTo(block);
    assertThatThrownBy(() -> Aes.gcmDecrypt(new byte[32], new byte[12], gcm, new byte[] {8}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("authenticate");
    assertThatThrownBy(() -> Aes.ctr(new byte[5], new byte[16], block))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("16, 24 or 32");
  }

  @Test
  void aKeySequenceRefusesToRunDry() {
    KeyPair one = KeySource.secure().nextKeyPair();
    KeySource seq = KeySource.sequence(List.of(one));
    assertThat(seq.nextKeyPair()).isEqualTo(one);
    assertThatThrownBy(seq::nextKeyPair).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void keyPairsHidePrivateHalves() {
    KeyPair pair = KeySource.secure().nextKeyPair();
    assertThat(pair.toString()).contains(hex(pair.publicKey())).doesNotContain(hex(pair.privateKey()));
    assertThat(KeyPair.of(pair.publicKey(), pair.privateKey())).isEqualTo(pair);
    assertThatThrownBy(() -> KeyPair.of(new byte[31], new byte[32]))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("publicKey");
  }
}
