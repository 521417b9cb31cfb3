package dev.wagateway.web.pairing;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.wagateway.ValidationException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.Vectors;
import dev.wagateway.web.binary.BinaryNodes;
import dev.wagateway.web.binary.JsonNodes;
import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.XEdDsa;
import dev.wagateway.web.proto.WaProto.ADVSignedDeviceIdentity;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingVectorsTest {
  private static final JsonNode P = Vectors.load("pairing.json");
  private static final JsonNode N = Vectors.load("noise-handshake.json");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static RegistrationKeys keys() {
    JsonNode k = N.get("keys");
    RegistrationKeys keys = new RegistrationKeys(
        KeyPair.fromPrivate(hex(k.get("clientNoisePrivateHex"))),
        KeyPair.fromPrivate(hex(k.get("signedIdentityPrivateHex"))),
        k.get("registrationId").asInt(), k.get("signedPreKeyId").asInt(),
        KeyPair.fromPrivate(hex(k.get("signedPreKeyPrivateHex"))), hex(k.get("signedPreKeySignatureHex")),
        Base64.getDecoder().decode(P.get("advSecretKeyBase64").asText()));
    assertThat(hex(keys.noiseKey().publicKey())).isEqualTo(P.get("noisePublicHex").asText());
    assertThat(hex(keys.identityKey().publicKey())).isEqualTo(P.get("identityPublicHex").asText());
    return keys;
  }

  private static DeviceConfig config() {
    JsonNode b = P.get("browser");
    return new DeviceConfig(List.of(2, 3000, 1043857760), b.get(0).asText(), b.get(1).asText(),
        b.get(2).asText(), "US", "en");
  }

  @Test
  void qrTextForEveryRefInOrder() {
    JsonNode pairDevice = N.get("transcripts").get(0).get("serverToClientFrames").get(0).get("node");
    List<String> refs = QrCodes.refs(JsonNodes.toNode(pairDevice));
    assertThat(refs).hasSize(P.get("qr").size());
    for (int i = 0; i < refs.size(); i++) {
      assertThat(QrCodes.text(refs.get(i), keys(), config())).isEqualTo(P.get("qr").get(i).asText());
    }
  }

  @Test
  void pairSuccessIsVerifiedAndAnsweredLikeTheVector() {
    RegistrationKeys keys = keys();
    PairSuccess.Result result = PairSuccess.process(JsonNodes.toNode(P.get("pairSuccessNode")),
        keys.identityKey(), keys.advSecretKey(), RANDOM);
    assertThat(result.me().asString()).isEqualTo(P.get("me").get("id").asText());
    assertThat(result.lid().asString()).isEqualTo(P.get("me").get("lid").asText());
    assertThat(result.platform()).isEqualTo(P.get("platform").asText());
    assertThat(result.keyIndex()).isEqualTo(3);

    // the reply, byte for byte, except the randomised device signature, which must verify
    Node expected = JsonNodes.toNode(P.get("replyNode"));
    byte[] ours = result.reply().requireChild("pair-device-sign").requireChild("device-identity").requireBytes();
    ADVSignedDeviceIdentity oursParsed = parse(ours);
    ADVSignedDeviceIdentity theirs = parse(
        expected.requireChild("pair-device-sign").requireChild("device-identity").requireBytes());
    assertThat(oursParsed.hasAccountSignatureKey()).isFalse();
    byte[] accountKey = hex(P.get("accountSignatureKeyHex"));
    byte[] message = concat(new byte[] {6, 1}, theirs.getDetails().toByteArray(),
        keys.identityKey().publicKey(), accountKey);
    assertThat(XEdDsa.verify(keys.identityKey().publicKey(), message,
        oursParsed.getDeviceSignature().toByteArray())).as("our device signature").isTrue();
    assertThat(XEdDsa.verify(keys.identityKey().publicKey(), message,
        hex(P.get("replyAccountDeviceSignatureHex")))).as("the oracle signed the same message").isTrue();
    byte[] withTheirSignature = oursParsed.toBuilder()
        .setDeviceSignature(ByteString.copyFrom(hex(P.get("replyAccountDeviceSignatureHex"))))
        .build().toByteArray();
    Node ourReplyWithTheirSignature = Node.of("iq", result.reply().attrs(), List.of(
        Node.of("pair-device-sign", Node.attributes(), List.of(Node.of("device-identity",
            result.reply().requireChild("pair-device-sign").requireChild("device-identity").attrs(),
            withTheirSignature)))));
    assertThat(hex(BinaryNodes.encode(ourReplyWithTheirSignature))).isEqualTo(hex(BinaryNodes.encode(expected)));

    // what we keep still carries the account key
    assertThat(parse(result.signedIdentity()).getAccountSignatureKey().toByteArray()).isEqualTo(accountKey);
    assertThat(result.toString()).doesNotContain(hex(result.signedIdentity()));
  }

  @Test
  void aTamperedHmacIsRefused() {
    RegistrationKeys keys = keys();
    assertThatThrownBy(() -> PairSuccess.process(JsonNodes.toNode(P.get("tamperedHmac").get("pairSuccessNode")),
        keys.identityKey(), keys.advSecretKey(), RANDOM))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("HMAC does not match");
  }

  @Test
  void aBadAccountSignatureIsRefusedThoughTheOracleAcceptsIt() {
    assertThat(P.get("badAccountSignature").get("mustBeRejected").asBoolean()).isTrue();
    RegistrationKeys keys = keys();
    assertThatThrownBy(() -> PairSuccess.process(
        JsonNodes.toNode(P.get("badAccountSignature").get("pairSuccessNode")),
        keys.identityKey(), keys.advSecretKey(), RANDOM))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("account signature");
  }

  @Test
  void anotherDevicesAdvSecretIsRefused() {
    RegistrationKeys keys = keys();
    byte[] otherSecret = new byte[32];
    assertThatThrownBy(() -> PairSuccess.process(JsonNodes.toNode(P.get("pairSuccessNode")),
        keys.identityKey(), otherSecret, RANDOM))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("HMAC");
  }

  @Test
  void missingPartsAreNamed() {
    RegistrationKeys keys = keys();
    Node noDevice = Node.of("iq", Node.attributes("id", "x"), List.of(Node.of("pair-success",
        Node.attributes(), List.of(Node.of("device-identity", Node.attributes(), new byte[] {1})))));
    assertThatThrownBy(() -> PairSuccess.process(noDevice, keys.identityKey(), keys.advSecretKey(), RANDOM))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("<device>");
    Node garbage = Node.of("iq", Node.attributes("id", "x"), List.of(Node.of("pair-success",
        Node.attributes(), List.of(Node.of("device-identity", Node.attributes(), new byte[] {(byte) 0xff}),
            Node.of("device", Node.attributes("jid", "491701234567:12@s.whatsapp.net"))))));
    assertThatThrownBy(() -> PairSuccess.process(garbage, keys.identityKey(), keys.advSecretKey(), RANDOM))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("does not parse");
  }

  @Test
  void deviceConfigNamesTheBadField() {
    assertThatThrownBy(() -> new DeviceConfig(List.of(2, 3000), "Ubuntu", "Chrome", "1", "US", "en"))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("version:");
    assertThatThrownBy(() -> new DeviceConfig(List.of(2, 3000, 1), "Ubuntu", "Netscape", "1", "US", "en"))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("browser:");
    assertThatThrownBy(() -> new DeviceConfig(List.of(2, 3000, 1), "Ubuntu", "Chrome", "1", "usa", "en"))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("countryCode:");
  }

  @Test
  void keysNeverPrintTheirSecrets() {
    RegistrationKeys keys = keys();
    assertThat(keys.toString()).doesNotContain(hex(keys.identityKey().privateKey()))
        .doesNotContain(Base64.getEncoder().encodeToString(keys.advSecretKey()))
        .doesNotContain(hex(keys.advSecretKey()));
  }

  private static ADVSignedDeviceIdentity parse(byte[] bytes) {
    try {
      return ADVSignedDeviceIdentity.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
