package dev.wagateway.web.crypto;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.Vectors;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Curve25519VectorsTest {
  private static final JsonNode V = Vectors.load("curve25519.json");

  @Test
  void agreementsMatchBothWays() {
    assertThat(V.get("agreements")).isNotEmpty();
    for (JsonNode c : V.get("agreements")) {
      byte[] a = hex(c.get("aPrivateHex"));
      byte[] b = hex(c.get("bPrivateHex"));
      assertThat(hex(Curve25519.publicKey(a))).isEqualTo(c.get("aPublicHex").asText());
      assertThat(hex(Curve25519.publicKey(b))).isEqualTo(c.get("bPublicHex").asText());
      assertThat(hex(Curve25519.agree(a, hex(c.get("bPublicHex"))))).isEqualTo(c.get("sharedHex").asText());
      assertThat(hex(Curve25519.agree(b, hex(c.get("aPublicHex"))))).isEqualTo(c.get("sharedHex").asText());
    }
  }

  @Test
  void recordedSignaturesVerifyAndTamperedOnesDoNot() {
    assertThat(V.get("signatures")).isNotEmpty();
    for (JsonNode c : V.get("signatures")) {
      byte[] pub = hex(c.get("publicHex"));
      byte[] msg = hex(c.get("messageHex"));
      assertThat(hex(Curve25519.publicKey(hex(c.get("privateHex"))))).isEqualTo(c.get("publicHex").asText());
      assertThat(XEdDsa.verify(pub, msg, hex(c.get("signatureHex")))).isEqualTo(c.get("valid").asBoolean());
      assertThat(XEdDsa.verify(pub, msg, hex(c.get("tamperedSignatureHex"))))
          .isEqualTo(c.get("tamperedValid").asBoolean()).isFalse();
    }
  }

  @Test
  void ourSignaturesVerifyUnderTheVectorKeysAndOnlyForTheirMessage() {
    SecureRandom random = new SecureRandom();
    for (JsonNode c : V.get("signatures")) {
      byte[] priv = hex(c.get("privateHex"));
      byte[] pub = hex(c.get("publicHex"));
      byte[] msg = hex(c.get("messageHex"));
      byte[] sig = XEdDsa.sign(priv, msg, random);
      assertThat(sig).hasSize(64);
      assertThat(sig[63] & 0x80).as("spec XEdDSA keeps the sign bit 0").isZero();
      assertThat(XEdDsa.verify(pub, msg, sig)).isTrue();
      byte[] other = (new String(msg) + "!").getBytes();
      assertThat(XEdDsa.verify(pub, other, sig)).isFalse();
      byte[] flipped = sig.clone();
      flipped[5] ^= 1;
      assertThat(XEdDsa.verify(pub, msg, flipped)).isFalse();
    }
  }

  @Test
  void signaturesFromRandomKeysVerify() {
    SecureRandom random = new SecureRandom();
    KeySource keys = KeySource.secure();
    for (int i = 0; i < 64; i++) {
      KeyPair pair = keys.nextKeyPair();
      byte[] msg = new byte[i * 7];
      random.nextBytes(msg);
      byte[] sig = XEdDsa.sign(pair.privateKey(), msg, random);
      assertThat(XEdDsa.verify(pair.publicKey(), msg, sig)).as("key %s", pair).isTrue();
      assertThat(XEdDsa.verify(keys.nextKeyPair().publicKey(), msg, sig)).isFalse();
    }
  }

  @Test
  void malformedInputIsInvalidNotAnError() {
    byte[] pub = hex(V.get("signatures").get(0).get("publicHex"));
    assertThat(XEdDsa.verify(pub, new byte[0], new byte[63])).isFalse();
    assertThat(XEdDsa.verify(new byte[31], new byte[0], new byte[64])).isFalse();
    byte[] allOnes = new byte[32];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    assertThat(XEdDsa.verify(allOnes, new byte[0], new byte[64])).isFalse();
    assertThatThrownBy(() -> Curve25519.agree(new byte[32], new byte[32]))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("small order");
    assertThatThrownBy(() -> Curve25519.withoutPrefix(new byte[33]))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("0x05");
  }
}
