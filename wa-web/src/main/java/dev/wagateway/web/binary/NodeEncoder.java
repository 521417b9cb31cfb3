package dev.wagateway.web.binary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes a {@link Node} in the binary format; see {@link BinaryNodes#encode}. */
final class NodeEncoder {
  private final Dictionary dictionary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  NodeEncoder(Dictionary dictionary) {
    this.dictionary = dictionary;
  }

  byte[] encodeFrame(Node node) {
    out.write(0); // flags: not compressed
    writeNode(node);
    return out.toByteArray();
  }

  private void writeNode(Node node) {
    Map<String, String> attrs = node.attrs();
    Node.Content content = node.content();
    boolean hasContent = !(content instanceof Node.Content.None);
    writeListStart(2 * attrs.size() + 1 + (hasContent ? 1 : 0));
    writeString(node.tag());
    attrs.forEach((k, v) -> {
      writeString(k);
      writeString(v);
    });
    if (content instanceof Node.Content.Children c) {
      List<Node> children = c.nodes();
      writeListStart(children.size());
      for (Node child : children) {
        writeNode(child);
      }
    } else if (content instanceof Node.Content.Bytes b) {
      writeBytes(b.raw());
    } else if (content instanceof Node.Content.Text t) {
      writeString(t.value());
    }
  }

  private void writeListStart(int size) {
    if (size == 0) {
      out.write(Tags.LIST_EMPTY);
    } else if (size < 256) {
      out.write(Tags.LIST_8);
      out.write(size);
    } else if (size < 65536) {
      out.write(Tags.LIST_16);
      out.write(size >>> 8);
      out.write(size);
    } else {
      throw new IllegalArgumentException("a node may have at most 65,535 children and attributes, got "
          + size);
    }
  }

  private void writeString(String s) {
    Integer code = dictionary.code(s);
    if (code != null) {
      int dict = code >> 8;
      if (dict >= 0) {
        out.write(Tags.DICTIONARY_0 + dict);
      }
      out.write(code & 0xff);
    } else if (isNibble(s)) {
      writePacked(s, Tags.NIBBLE_8);
    } else if (isHex(s)) {
      writePacked(s, Tags.HEX_8);
    } else if (!writeJid(s)) {
      writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Writes s as a JID when the compact form reads back as exactly s; false otherwise. A device 0
   * is the one exception: on the wire it is the bare user, as in the official client. The device
   * form is used where it applies ({@code user:device} on a server with a domain type), the pair
   * form for every other {@code user@server}; unlike the official client, an {@code _agent} in
   * the user part stays part of the user, so nothing is lost.
   */
  private boolean writeJid(String s) {
    int at = s.indexOf('@');
    if (at < 0) {
      return false;
    }
    String userPart = s.substring(0, at);
    String server = s.substring(at + 1);
    if (server.isEmpty()) {
      return false;
    }
    int colon = userPart.lastIndexOf(':');
    if (colon > 0) {
      int domain = domainType(server);
      int device = deviceNumber(userPart.substring(colon + 1));
      if (domain >= 0 && device >= 0) {
        out.write(Tags.AD_JID);
        out.write(domain);
        out.write(device);
        writeString(userPart.substring(0, colon));
        return true;
      }
    }
    out.write(Tags.JID_PAIR);
    if (userPart.isEmpty()) {
      out.write(Tags.LIST_EMPTY);
    } else {
      writeString(userPart);
    }
    writeString(server);
    return true;
  }

  static int domainType(String server) {
    return switch (server) {
      case "s.whatsapp.net" -> Tags.DOMAIN_WHATSAPP;
      case "lid" -> Tags.DOMAIN_LID;
      case "hosted" -> Tags.DOMAIN_HOSTED;
      case "hosted.lid" -> Tags.DOMAIN_HOSTED_LID;
      default -> -1;
    };
  }

  /** 0..255 written without leading zeros, else -1. */
  private static int deviceNumber(String s) {
    if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  private void writeBytes(byte[] bytes) {
    int n = bytes.length;
    if (n >= 1 << 20) {
      out.write(Tags.BINARY_32);
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
    } else if (n >= 256) {
      out.write(Tags.BINARY_20);
      out.write((n >>> 16) & 0x0f);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(Tags.BINARY_8);
      out.write(n);
    }
    out.write(bytes, 0, n);
  }

  static boolean isNibble(String s) {
    if (s.isEmpty() || s.length() > Tags.PACKED_MAX) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  static boolean isHex(String s) {
    if (s.isEmpty() || s.length() > Tags.PACKED_MAX) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  private void writePacked(String s, int tag) {
    out.write(tag);
    int pairs = (s.length() + 1) / 2;
    out.write(s.length() % 2 == 1 ? pairs | 0x80 : pairs);
    for (int i = 0; i < pairs; i++) {
      int hi = pack(s.charAt(2 * i), tag);
      int lo = 2 * i + 1 < s.length() ? pack(s.charAt(2 * i + 1), tag) : 15;
      out.write(hi << 4 | lo);
    }
  }

  private static int pack(char c, int tag) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (tag == Tags.NIBBLE_8) {
      return c == '-' ? 10 : 11; // '.'
    }
    return c - 'A' + 10;
  }
}
