package dev.wagateway.web.internal;

import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.Curve25519;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.signal.SignedPreKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for the stanzas the engine sends. Pure functions. */
final class Stanzas {
  static final String SERVER = "s.whatsapp.net";

  private Stanzas() {}

  static Node iq(String id, String xmlns, String type, List<Node> children) {
    return Node.of("iq", Node.attributes("id", id, "xmlns", xmlns, "to", SERVER, "type", type), children);
  }

  /** The empty answer to a server's iq. */
  static Node result(String id) {
    return Node.of("iq", Node.attributes("to", SERVER, "type", "result", "id", id));
  }

  static Node ping(String id) {
    return iq(id, "w:p", "get", List.of(Node.of("ping")));
  }

  static Node active(String id) {
    return iq(id, "passive", "set", List.of(Node.of("active")));
  }

  static Node preKeyCount(String id) {
    return iq(id, "encrypt", "get", List.of(Node.of("count")));
  }

  /** The iq that uploads our identity, signed pre-key and a batch of one-time pre-keys. */
  static Node uploadPreKeys(String id, int registrationId, KeyPair identity, SignedPreKey signed,
      Map<Integer, KeyPair> preKeys) {
    List<Node> keys = new ArrayList<>();
    preKeys.forEach((keyId, pair) -> keys.add(Node.of("key", Node.attributes(), List.of(
        Node.of("id", Node.attributes(), Bytes.bigEndian(keyId, 3)),
        Node.of("value", Node.attributes(), pair.publicKey())))));
    return iq(id, "encrypt", "set", List.of(
        Node.of("registration", Node.attributes(), Bytes.bigEndian(registrationId, 4)),
        Node.of("type", Node.attributes(), new byte[] {Curve25519.DJB_TYPE}),
        Node.of("identity", Node.attributes(), identity.publicKey()),
        Node.of("list", Node.attributes(), keys),
        Node.of("skey", Node.attributes(), List.of(
            Node.of("id", Node.attributes(), Bytes.bigEndian(signed.id(), 3)),
            Node.of("value", Node.attributes(), signed.keyPair().publicKey()),
            Node.of("signature", Node.attributes(), signed.signature())))));
  }

  /** A usync query for the device lists of users. */
  static Node usyncDevices(String id, List<String> userJids) {
    List<Node> users = new ArrayList<>();
    for (String jid : userJids) {
      users.add(Node.of("user", Node.attributes("jid", jid)));
    }
    return iq(id, "usync", "get", List.of(Node.of("usync",
        Node.attributes("sid", id, "mode", "query", "last", "true", "index", "0", "context", "message"),
        List.of(Node.of("query", Node.attributes(), List.of(Node.of("devices", Node.attributes("version", "2")))),
            Node.of("list", Node.attributes(), users)))));
  }

  /** A pre-key bundle fetch for devices without a session. */
  static Node keyFetch(String id, List<String> deviceJids) {
    List<Node> users = new ArrayList<>();
    for (String jid : deviceJids) {
      users.add(Node.of("user", Node.attributes("jid", jid)));
    }
    return iq(id, "encrypt", "get", List.of(Node.of("key", Node.attributes(), users)));
  }

  static Node ack(Node stanza, String cls) {
    Map<String, String> attrs = Node.attributes("id", stanza.requireAttr("id"), "class", cls,
        "to", stanza.requireAttr("from"));
    if (stanza.attr("participant") != null) {
      attrs.put("participant", stanza.attr("participant"));
    }
    if (stanza.attr("type") != null && !cls.equals("message")) {
      attrs.put("type", stanza.attr("type"));
    }
    return Node.of("ack", attrs);
  }

  static Node deliveryReceipt(Node message) {
    Map<String, String> attrs = Node.attributes("id", message.requireAttr("id"), "to", message.requireAttr("from"));
    if (message.attr("participant") != null) {
      attrs.put("participant", message.attr("participant"));
    }
    return Node.of("receipt", attrs);
  }

  static Node readReceipt(String id, String to, long epochSeconds) {
    return Node.of("receipt", Node.attributes("id", id, "to", to, "type", "read", "t", Long.toString(epochSeconds)));
  }



}
