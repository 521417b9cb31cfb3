package dev.wagateway.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.engine.Disconnect;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.binary.BinaryNodes;
import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.signal.PreKeyBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's readings of server stanzas, without a server. */
class StanzaMappingTest {

  @Test
  void loginFailuresMapToSessionOutcomes() {
    assertThat(WebConnection.failure("401", "frc").kind()).isEqualTo(Disconnect.Kind.LOGGED_OUT);
    assertThat(WebConnection.failure("403", null).kind()).isEqualTo(Disconnect.Kind.RESTRICTED);
    assertThat(WebConnection.failure("402", null).kind()).isEqualTo(Disconnect.Kind.RESTRICTED);
    assertThat(WebConnection.failure("406", null).kind()).isEqualTo(Disconnect.Kind.RESTRICTED);
    assertThat(WebConnection.failure("405", null).kind()).isEqualTo(Disconnect.Kind.FATAL);
    assertThat(WebConnection.failure("503", null).kind().reconnects()).isTrue();
    assertThat(WebConnection.failure(null, null).code()).isEqualTo("unknown");
    assertThat(WebConnection.failure("401", "frc").detail()).contains("(frc)");
  }

  @Test
  void aRetriedSendKeepsItsWhatsAppId() {
    String first = WebConnection.messageId("msg_01KDVDNA0MJHHBXM6VDQQFHA4A");
    assertThat(first).matches("3EB0[0-9A-F]{18}").isEqualTo(WebConnection.messageId("msg_01KDVDNA0MJHHBXM6VDQQFHA4A"));
    assertThat(WebConnection.messageId("msg_01KDVDNA0MJHHBXM6VDQQFHA4B")).isNotEqualTo(first);
  }

  @Test
  void deviceListsAreReadForTheAskedUserOnly() {
    Node result = Node.of("iq", Node.attributes("type", "result"), List.of(Node.of("usync", Node.attributes(),
        List.of(Node.of("list", Node.attributes(), List.of(
            user("491702222222@s.whatsapp.net", 0, 1, 7),
            user("491709999999@s.whatsapp.net", 3)))))));
    assertThat(WebConnection.deviceIds(result, "491702222222@s.whatsapp.net")).containsExactly(0, 1, 7);
    assertThat(WebConnection.deviceIds(result, "491700000000@s.whatsapp.net")).isEmpty();
    assertThatThrownBy(() -> WebConnection.deviceIds(Node.of("iq"), "x@s.whatsapp.net"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("<usync>");
  }

  @Test
  void bundlesAreReadFromTheKeyFetchAnswer() {
    KeyPair identity = KeySource.secure().nextKeyPair();
    Node user = Node.of("user", Node.attributes("jid", "491702222222:1@s.whatsapp.net"), List.of(
        Node.of("registration", Node.attributes(), Bytes.bigEndian(4242, 4)),
        Node.of("type", Node.attributes(), new byte[] {5}),
        Node.of("identity", Node.attributes(), identity.publicKey()),
        Node.of("skey", Node.attributes(), List.of(Node.of("id", Node.attributes(), Bytes.bigEndian(1, 3)),
            Node.of("value", Node.attributes(), new byte[32]), Node.of("signature", Node.attributes(), new byte[64]))),
        Node.of("key", Node.attributes(), List.of(Node.of("id", Node.attributes(), Bytes.bigEndian(70000, 3)),
            Node.of("value", Node.attributes(), new byte[32])))));
    PreKeyBundle bundle = WebConnection.bundle(user);
    assertThat(bundle.registrationId()).isEqualTo(4242);
    assertThat(bundle.preKeyId()).isEqualTo(70000);
    assertThat(bundle.signedPreKeyId()).isEqualTo(1);
    assertThat(bundle.identityKey()).isEqualTo(identity.publicKey());
    assertThatThrownBy(() -> WebConnection.bundle(Node.of("user")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("<skey>");
  }

  @Test
  void stanzaIdsAreNeverTurnedIntoSomethingElse() {
    // ids are plain strings; one with '@' must come back exactly, whatever form the codec picks
    for (String id : List.of("3EB0C431D5E8A1F2", "1732345678.123-45", "abc@def", "3EB0_x:0@s.whatsapp.net",
        "a:1@lid", "@", "x@", "wg-1@s.whatsapp.net")) {
      Node ack = Node.of("ack", Node.attributes("id", id, "class", "message", "to", "491702222222@s.whatsapp.net"));
      Node back = BinaryNodes.decode(BinaryNodes.encode(ack));
      if (id.endsWith(":0@s.whatsapp.net")) {
        // the one lossy form: device 0 is the bare user on the wire; ids we make never look like this
        assertThat(back.attr("id")).isEqualTo(id.replace(":0@", "@"));
      } else {
        assertThat(back.attr("id")).as(id).isEqualTo(id);
      }
    }
  }

  private static Node user(String jid, int... devices) {
    List<Node> list = new java.util.ArrayList<>();
    for (int d : devices) {
      list.add(Node.of("device", Node.attributes("id", Integer.toString(d))));
    }
    return Node.of("user", Node.attributes("jid", jid), List.of(Node.of("devices", Node.attributes(),
        List.of(Node.of("device-list", Node.attributes(), list)))));
  }
}
