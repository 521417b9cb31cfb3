package dev.wagateway.web.noise;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.Vectors;
import dev.wagateway.web.binary.BinaryNodes;
import dev.wagateway.web.binary.JsonNodes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.pairing.ClientPayloads;
import dev.wagateway.web.pairing.DeviceConfig;
import dev.wagateway.web.pairing.RegistrationKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NoiseHandshakeVectorsTest {
  static final JsonNode V = Vectors.load("noise-handshake.json");
  static final JsonNode KEYS = V.get("keys");
  static final Clock AT_RECORDING = Clock.fixed(Instant.ofEpochSecond(1732345678), ZoneOffset.UTC);

  static DeviceConfig config() {
    JsonNode c = V.get("config");
    List<Integer> version = new ArrayList<>();
    c.get("version").forEach(v -> version.add(v.asInt()));
    JsonNode b = c.get("browser");
    return new DeviceConfig(version, b.get(0).asText(), b.get(1).asText(), b.get(2).asText(),
        c.get("countryCode").asText(), "en");
  }

  static KeyPair key(String name) {
    KeyPair pair = KeyPair.fromPrivate(hex(KEYS.get(name + "PrivateHex")));
    assertThat(hex(pair.publicKey())).isEqualTo(KEYS.get(name + "PublicHex").asText());
    return pair;
  }

  static RegistrationKeys registrationKeys() {
    return new RegistrationKeys(key("clientNoise"), key("signedIdentity"),
        KEYS.get("registrationId").asInt(), KEYS.get("signedPreKeyId").asInt(), key("signedPreKey"),
        hex(KEYS.get("signedPreKeySignatureHex")),
        Base64.getDecoder().decode(KEYS.get("advSecretKeyBase64").asText()));
  }

  static byte[] payloadFor(String kind) {
    return kind.equals("registration")
        ? ClientPayloads.registration(config(), registrationKeys())
        : ClientPayloads.login(config(), 491701234567L, 12);
  }

  static Stream<Arguments> transcripts() {
    List<Arguments> out = new ArrayList<>();
    V.get("transcripts").forEach(t -> out.add(Arguments.of(t.get("kind").asText(), t)));
    return out.stream();
  }

  private static NoiseHandshake handshake(byte[] root, Clock clock) {
    return new NoiseHandshake(key("clientEphemeral"), key("clientNoise"), root, clock);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transcripts")
  void handshakeAndFirstFramesMatchByteForByte(String kind, JsonNode t) {
    byte[] payload = payloadFor(kind);
    assertThat(hex(payload)).as("client payload").isEqualTo(t.get("clientPayloadHex").asText());

    FrameCodec codec = new FrameCodec();
    NoiseHandshake handshake = handshake(hex(KEYS.get("testRootPublicHex")), AT_RECORDING);
    assertThat(hex(codec.encode(handshake.clientHello()))).isEqualTo(t.get("clientHelloFrameHex").asText());
    byte[] finish = handshake.readServerHello(hex(t.get("serverHelloHex")), payload);
    assertThat(hex(codec.encode(finish))).isEqualTo(t.get("clientFinishFrameHex").asText());

    NoiseTransport transport = handshake.finish();
    assertThat(transport.hasKeys(hex(t.get("transportKeys").get("clientWriteHex")),
        hex(t.get("transportKeys").get("clientReadHex")))).isTrue();

    for (JsonNode frame : t.get("serverToClientFrames")) {
      List<byte[]> frames = codec.feed(hex(frame.get("frameHex")));
      assertThat(frames).hasSize(1);
      assertThat(BinaryNodes.decode(transport.decrypt(frames.get(0))))
          .isEqualTo(JsonNodes.toNode(frame.get("node")));
    }
    for (JsonNode frame : t.get("clientToServerFrames")) {
      byte[] plain = BinaryNodes.encode(JsonNodes.toNode(frame.get("node")));
      assertThat(hex(codec.encode(transport.encrypt(plain)))).isEqualTo(frame.get("frameHex").asText());
    }
  }

  @Test
  void theCertificateChainInTheVectorIsTheOneVerified() {
    JsonNode t = V.get("transcripts").get(0);
    // the real WhatsApp root did not sign the test chain: the default root refuses it
    NoiseHandshake real = handshake(CertificateChain.WHATSAPP_ROOT_KEY, AT_RECORDING);
    real.clientHello();
    assertThatThrownBy(() -> real.readServerHello(hex(t.get("serverHelloHex")), new byte[0]))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("intermediate certificate: the signature does not verify");
    // nor does it pass once its validity has ended
    NoiseHandshake late = handshake(hex(KEYS.get("testRootPublicHex")),
        Clock.fixed(Instant.ofEpochSecond(1_900_000_001L), ZoneOffset.UTC));
    late.clientHello();
    assertThatThrownBy(() -> late.readServerHello(hex(t.get("serverHelloHex")), new byte[0]))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("expired");
    CertificateChain.verify(hex(V.get("certChainHex")), hex(KEYS.get("serverStaticPublicHex")),
        hex(KEYS.get("testRootPublicHex")), AT_RECORDING.instant());
    assertThatThrownBy(() -> CertificateChain.verify(hex(V.get("certChainHex")),
        hex(KEYS.get("serverEphemeralPublicHex")), hex(KEYS.get("testRootPublicHex")),
        AT_RECORDING.instant()))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("not for the server's static key");
  }

  @Test
  void everyFlippedByteOfTheServerHelloIsRefused() {
    byte[] hello = hex(V.get("transcripts").get(0).get("serverHelloHex"));
    for (int i = 0; i < hello.length; i += 7) {
      byte[] bad = hello.clone();
      bad[i] ^= 0x40;
      NoiseHandshake handshake = handshake(hex(KEYS.get("testRootPublicHex")), AT_RECORDING);
      handshake.clientHello();
      assertThatThrownBy(() -> handshake.readServerHello(bad, new byte[0]))
          .as("flipped byte %d", i).isInstanceOf(ProtocolException.class);
      assertThatThrownBy(handshake::finish).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aTamperedTransportFrameDoesNotDecrypt() {
    JsonNode t = V.get("transcripts").get(1);
    NoiseHandshake handshake = handshake(hex(KEYS.get("testRootPublicHex")), AT_RECORDING);
    handshake.clientHello();
    handshake.readServerHello(hex(t.get("serverHelloHex")), payloadFor("login"));
    NoiseTransport transport = handshake.finish();
    byte[] frame = hex(t.get("serverToClientFrames").get(0).get("frameHex"));
    byte[] body = java.util.Arrays.copyOfRange(frame, 3, frame.length);
    body[body.length - 1] ^= 1;
    assertThatThrownBy(() -> transport.decrypt(body))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("does not authenticate");
  }
}
