package dev.wagateway.web.signal;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.web.Vectors;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.proto.WaProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalSessionsVectorsTest {
  static final JsonNode V = Vectors.load("signal-sessions.json");

  /** Both parties of the vector, drawing generated keys from one shared sequence. */
  static final class Pair {
    final InMemorySignalStore aliceStore;
    final InMemorySignalStore bobStore;
    final SignalSessions alice;
    final SignalSessions bob;
    final SignalAddress aliceAddress = SignalAddress.parse(V.get("alice").get("address").asText());
    final SignalAddress bobAddress = SignalAddress.parse(V.get("bob").get("address").asText());

    Pair(KeySource keys) {
      JsonNode a = V.get("alice");
      JsonNode b = V.get("bob");
      aliceStore = new InMemorySignalStore(KeyPair.fromPrivate(hex(a.get("identityPrivateHex"))),
          a.get("registrationId").asInt());
      bobStore = new InMemorySignalStore(KeyPair.fromPrivate(hex(b.get("identityPrivateHex"))),
          b.get("registrationId").asInt());
      JsonNode spk = b.get("signedPreKey");
      bobStore.addSignedPreKey(new SignedPreKey(spk.get("id").asInt(),
          KeyPair.fromPrivate(hex(spk.get("privateHex"))), hex(spk.get("signatureHex")), Instant.EPOCH));
      JsonNode opk = b.get("oneTimePreKey");
      bobStore.addPreKey(opk.get("id").asInt(), KeyPair.fromPrivate(hex(opk.get("privateHex"))));
      alice = new SignalSessions(aliceStore, keys);
      bob = new SignalSessions(bobStore, keys);
      alice.processPreKeyBundle(bobAddress, bundle());
    }

    static PreKeyBundle bundle() {
      JsonNode b = V.get("bob");
      JsonNode spk = b.get("signedPreKey");
      JsonNode opk = b.get("oneTimePreKey");
      return new PreKeyBundle(b.get("registrationId").asInt(), opk.get("id").asInt(), hex(opk.get("publicHex")),
          spk.get("id").asInt(), hex(spk.get("publicHex")), hex(spk.get("signatureHex")),
          hex(b.get("identityPublicHex")));
    }

    SignalSessions sender(String who) {
      return who.equals("alice") ? alice : bob;
    }

    SignalSessions receiver(String who) {
      return who.equals("alice") ? bob : alice;
    }

    SignalAddress peerOf(String who) {
      return who.equals("alice") ? bobAddress : aliceAddress;
    }

    SignalAddress self(String who) {
      return who.equals("alice") ? aliceAddress : bobAddress;
    }
  }

  static KeySource vectorKeys() {
    List<KeyPair> keys = new ArrayList<>();
    for (JsonNode k : V.get("generatedKeys")) {
      KeyPair pair = KeyPair.fromPrivate(hex(k.get("privateHex")));
      assertThat(hex(pair.publicKey())).isEqualTo(k.get("publicHex").asText());
      keys.add(pair);
    }
    return KeySource.sequence(keys);
  }

  @Test
  void everyStepMatchesTheVectorByteForByte() {
    Pair p = new Pair(vectorKeys());
    for (JsonNode step : V.get("steps")) {
      String from = step.get("from").asText();
      byte[] padded = hex(step.get("plaintextHex"));
      assertThat(WhatsAppPadding.pad(conversation(step.get("text").asText()), step.get("padding").asInt()))
          .isEqualTo(padded);
      CiphertextMessage sent = p.sender(from).encrypt(p.peerOf(from), padded);
      assertThat(sent.type().wireName()).isEqualTo(step.get("type").asText());
      assertThat(hex(sent.serialized())).as(step.get("text").asText())
          .isEqualTo(step.get("ciphertextHex").asText());
      byte[] received = p.receiver(from).decrypt(p.self(from), sent);
      assertThat(received).isEqualTo(padded);
      assertThat(text(WhatsAppPadding.unpad(received))).isEqualTo(step.get("text").asText());
    }
    assertThat(p.bobStore.preKey(7)).as("the one-time pre-key is spent").isEmpty();
  }

  @Test
  void randomKeysStillDecryptEveryRecordedCiphertext() {
    // bob decrypts the recorded pre-key message with random keys of his own: it is alice's
    // ciphertext, so only the fixed private keys above matter for reading it
    Pair p = new Pair(KeySource.secure());
    JsonNode first = V.get("steps").get(0);
    byte[] plain = p.bob.decrypt(p.aliceAddress, new CiphertextMessage(CiphertextMessage.Type.PKMSG,
        hex(first.get("ciphertextHex"))));
    assertThat(hex(plain)).isEqualTo(first.get("plaintextHex").asText());
    JsonNode second = V.get("steps").get(1);
    assertThat(hex(p.bob.decrypt(p.aliceAddress, new CiphertextMessage(CiphertextMessage.Type.PKMSG,
        hex(second.get("ciphertextHex")))))).isEqualTo(second.get("plaintextHex").asText());
  }

  static byte[] conversation(String text) {
    return WaProto.Message.newBuilder().setConversation(text).build().toByteArray();
  }

  static String text(byte[] message) {
    try {
      return WaProto.Message.parseFrom(message).getConversation();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
