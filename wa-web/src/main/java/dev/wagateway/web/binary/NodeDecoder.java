package dev.wagateway.web.binary;

import dev.wagateway.web.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one node from the binary format. Every length is checked against the bytes that remain
 * before anything is allocated, nesting is bounded, and every malformed input ends in a {@link
 * ProtocolException} that says where.
 */
final class NodeDecoder {
  private final Dictionary dictionary;
  private final byte[] data;
  private final int maxDepth;
  private int pos;

  NodeDecoder(Dictionary dictionary, byte[] data, int offset, int maxDepth) {
    this.dictionary = dictionary;
    this.data = data;
    this.pos = offset;
    this.maxDepth = maxDepth;
  }

  Node decodeAll() {
    Node node = readNode(0);
    if (pos != data.length) {
      throw error((data.length - pos) + " bytes after the node");
    }
    return node;
  }

  private Node readNode(int depth) {
    if (depth > maxDepth) {
      throw error("nodes nested deeper than " + maxDepth);
    }
    int listSize = readListSize(readByte());
    if (listSize == 0) {
      throw error("a node with an empty header");
    }
    String tag = readString(readByte());
    if (tag.isEmpty()) {
      throw error("a node with an empty tag");
    }
    int attrCount = (listSize - 1) >> 1;
    Map<String, String> attrs = new LinkedHashMap<>();
    for (int i = 0; i < attrCount; i++) {
      String key = readString(readByte());
      if (key.isEmpty()) {
        throw error("<" + tag + "> has an attribute with an empty name");
      }
      String value = readString(readByte());
      if (attrs.put(key, value) != null) {
        throw error("<" + tag + "> repeats the attribute '" + key + "'");
      }
    }
    if (listSize % 2 == 1) {
      return Node.of(tag, attrs);
    }
    int contentTag = readByte();
    if (contentTag == Tags.LIST_EMPTY || contentTag == Tags.LIST_8 || contentTag == Tags.LIST_16) {
      int count = readListSize(contentTag);
      // a child takes at least two bytes: refuse a count the input cannot hold before allocating
      requireAvailable(2L * count, "<" + tag + "> with " + count + " children");
      List<Node> children = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        children.add(readNode(depth + 1));
      }
      return Node.of(tag, attrs, children);
    }
    return switch (contentTag) {
      case Tags.BINARY_8 -> Node.of(tag, attrs, readBytes(readByte()));
      case Tags.BINARY_20 -> Node.of(tag, attrs, readBytes(readInt20()));
      case Tags.BINARY_32 -> Node.of(tag, attrs, readBytes(readInt32()));
      default -> Node.ofText(tag, attrs, readString(contentTag));
    };
  }

  private int readListSize(int tag) {
    return switch (tag) {
      case Tags.LIST_EMPTY -> 0;
      case Tags.LIST_8 -> readByte();
      case Tags.LIST_16 -> readByte() << 8 | readByte();
      default -> throw error("expected a list tag, got " + tag);
    };
  }

  private String readString(int tag) {
    if (tag >= 1 && tag < dictionary.singleByteCount()) {
      String token = dictionary.single(tag);
      return token == null ? "" : token;
    }
    switch (tag) {
      case Tags.LIST_EMPTY:
        return "";
      case Tags.BINARY_8:
        return utf8(readByte());
      case Tags.BINARY_20:
        return utf8(readInt20());
      case Tags.BINARY_32:
        return utf8(readInt32());
      case Tags.JID_PAIR:
        return readJidPair();
      case Tags.AD_JID:
        return readAdJid();
      case Tags.NIBBLE_8:
      case Tags.HEX_8:
        return readPacked(tag);
      case Tags.FB_JID:
      case Tags.INTEROP_JID:
        throw error("JID form " + tag + " (Messenger/interop) is not supported");
      default:
        if (tag >= Tags.DICTIONARY_0 && tag <= Tags.DICTIONARY_3) {
          int index = readByte();
          String token = dictionary.doubleByte(tag - Tags.DICTIONARY_0, index);
          if (token == null) {
            throw error("no token " + index + " in dictionary " + (tag - Tags.DICTIONARY_0));
          }
          return token;
        }
        throw error("invalid string tag " + tag);
    }
  }

  private String readJidPair() {
    String user = readString(readByte());
    String server = readString(readByte());
    if (server.isEmpty()) {
      throw error("a JID without a server");
    }
    return user + "@" + server;
  }

  private String readAdJid() {
    int domain = readByte();
    int device = readByte();
    String user = readString(readByte());
    String server = switch (domain) {
      case Tags.DOMAIN_WHATSAPP -> "s.whatsapp.net";
      case Tags.DOMAIN_LID -> "lid";
      case Tags.DOMAIN_HOSTED -> "hosted";
      case Tags.DOMAIN_HOSTED_LID -> "hosted.lid";
      default -> throw error("unknown JID domain type " + domain);
    };
    return device == 0 ? user + "@" + server : user + ":" + device + "@" + server;
  }

  private String readPacked(int tag) {
    int start = readByte();
    int pairs = start & 0x7f;
    boolean odd = (start & 0x80) != 0;
    if (odd && pairs == 0) {
      throw error("a packed string of odd length with no bytes");
    }
    requireAvailable(pairs, "a packed string");
    StringBuilder sb = new StringBuilder(pairs * 2);
    for (int i = 0; i < pairs; i++) {
      int b = readByte();
      boolean last = i == pairs - 1;
      sb.append(unpack(b >>> 4, tag));
      if (last && odd) {
        if ((b & 0x0f) != 15) {
          throw error("a packed string of odd length must end in the filler nibble");
        }
      } else {
        sb.append(unpack(b & 0x0f, tag));
      }
    }
    return sb.toString();
  }

  private char unpack(int value, int tag) {
    if (tag == Tags.HEX_8) {
      return "0123456789ABCDEF".charAt(value);
    }
    if (value <= 9) {
      return (char) ('0' + value);
    }
    if (value == 10) {
      return '-';
    }
    if (value == 11) {
      return '.';
    }
    throw error("invalid nibble " + value);
  }

  private String utf8(int length) {
    requireAvailable(length, "a string");
    String s = new String(data, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  private byte[] readBytes(int length) {
    requireAvailable(length, "a byte field");
    byte[] out = new byte[length];
    System.arraycopy(data, pos, out, 0, length);
    pos += length;
    return out;
  }

  private int readByte() {
    if (pos >= data.length) {
      throw error("the input ends early");
    }
    return data[pos++] & 0xff;
  }

  private int readInt20() {
    return (readByte() & 0x0f) << 16 | readByte() << 8 | readByte();
  }

  private int readInt32() {
    long value = (long) readByte() << 24 | readByte() << 16 | readByte() << 8 | readByte();
    if (value > Integer.MAX_VALUE) {
      throw error("a length of " + value + " bytes");
    }
    return (int) value;
  }

  private void requireAvailable(long length, String what) {
    if (length > data.length - pos) {
      throw error(what + " of " + length + " bytes, but only " + (data.length - pos) + " remain");
    }
  }

  private ProtocolException error(String what) {
    return new ProtocolException("binary node at byte " + pos + ": " + what);
  }
}
