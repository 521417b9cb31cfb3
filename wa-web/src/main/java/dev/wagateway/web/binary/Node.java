package dev.wagateway.web.binary;

import dev.wagateway.web.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One node of WhatsApp's binary stanza format: a tag, string attributes in order, and content that
 * is nothing, child nodes, raw bytes or a string. Immutable; equality is deep (bytes by value).
 *
 * <p>Text and bytes are kept apart because the wire keeps them apart: a string is written as a
 * dictionary token, packed digits or a JID when it can be, raw bytes never are. A decoded node
 * has {@link Content.Text} only where the wire had one of those compact forms; raw strings come
 * back as {@link Content.Bytes} ({@link #contentString()} reads either).
 *
 * <p>{@link #toString()} is XML-like and shows byte content by length only: it may be ciphertext
 * or key material.
 */
public final class Node {

  /** What a node holds besides its attributes. */
  public sealed interface Content {
    /** No content: the node is only a tag and attributes. */
    record None() implements Content {}

    record Children(List<Node> nodes) implements Content {
      public Children {
        nodes = List.copyOf(nodes);
      }
    }

    record Text(String value) implements Content {
      public Text {
        Objects.requireNonNull(value, "value");
      }
    }

    final class Bytes implements Content {
      private final byte[] value;

      public Bytes(byte[] value) {
        this.value = value.clone();
      }

      public byte[] value() {
        return value.clone();
      }

      int length() {
        return value.length;
      }

      byte[] raw() {
        return value;
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(value, b.value);
      }

      @Override
      public int hashCode() {
        return Arrays.hashCode(value);
      }

      @Override
      public String toString() {
        return "Bytes[" + value.length + "]";
      }
    }
  }

  private static final Content NONE = new Content.None();

  private final String tag;
  private final Map<String, String> attrs;
  private final Content content;

  private Node(String tag, Map<String, String> attrs, Content content) {
    if (tag == null || tag.isEmpty()) {
      throw new IllegalArgumentException("a node needs a non-empty tag");
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    attrs.forEach((k, v) -> {
      if (k == null || k.isEmpty()) {
        throw new IllegalArgumentException("node <" + tag + ">: an attribute name is empty");
      }
      if (v == null) {
        throw new IllegalArgumentException("node <" + tag + ">: attribute '" + k + "' has no value");
      }
      copy.put(k, v);
    });
    this.tag = tag;
    this.attrs = Collections.unmodifiableMap(copy);
    this.content = Objects.requireNonNull(content, "content");
  }

  public static Node of(String tag) {
    return new Node(tag, Map.of(), NONE);
  }

  public static Node of(String tag, Map<String, String> attrs) {
    return new Node(tag, attrs, NONE);
  }

  public static Node of(String tag, Map<String, String> attrs, Content content) {
    return new Node(tag, attrs, content);
  }

  public static Node of(String tag, Map<String, String> attrs, List<Node> children) {
    return new Node(tag, attrs, new Content.Children(children));
  }

  public static Node of(String tag, Map<String, String> attrs, byte[] bytes) {
    return new Node(tag, attrs, new Content.Bytes(bytes));
  }

  public static Node ofText(String tag, Map<String, String> attrs, String text) {
    return new Node(tag, attrs, new Content.Text(text));
  }

  /** Ordered attribute map: insertion order is wire order. */
  public static Map<String, String> attributes(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("attrs takes name, value pairs");
    }
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  public String tag() {
    return tag;
  }

  public Map<String, String> attrs() {
    return attrs;
  }

  public Content content() {
    return content;
  }

  public @Nullable String attr(String name) {
    return attrs.get(name);
  }

  /** The attribute, or a {@link ProtocolException} naming it and this node's tag. */
  public String requireAttr(String name) {
    String value = attrs.get(name);
    if (value == null) {
      throw new ProtocolException("<" + tag + "> lacks the attribute '" + name + "'");
    }
    return value;
  }

  /** The child nodes; empty when the content is not a list. */
  public List<Node> children() {
    return content instanceof Content.Children c ? c.nodes() : List.of();
  }

  public Optional<Node> child(String childTag) {
    for (Node n : children()) {
      if (n.tag.equals(childTag)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** The first child with the tag, or a {@link ProtocolException} naming it. */
  public Node requireChild(String childTag) {
    return child(childTag).orElseThrow(
        () -> new ProtocolException("<" + tag + "> lacks the child <" + childTag + ">"));
  }

  /** The content as bytes: raw bytes, or a string's UTF-8; null when there is neither. */
  public byte @Nullable [] contentBytes() {
    if (content instanceof Content.Bytes b) {
      return b.value();
    }
    if (content instanceof Content.Text t) {
      return t.value().getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  /** The bytes content, or a {@link ProtocolException} naming this node. */
  public byte[] requireBytes() {
    byte[] bytes = contentBytes();
    if (bytes == null) {
      throw new ProtocolException("<" + tag + "> has no byte content");
    }
    return bytes;
  }

  /** The content as a string (bytes read as UTF-8); null when there is neither. */
  public @Nullable String contentString() {
    if (content instanceof Content.Text t) {
      return t.value();
    }
    if (content instanceof Content.Bytes b) {
      return new String(b.raw(), StandardCharsets.UTF_8);
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Node n && tag.equals(n.tag) && attrs.equals(n.attrs)
        && content.equals(n.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tag, attrs, content);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }

  private void appendTo(StringBuilder sb) {
    sb.append('<').append(tag);
    attrs.forEach((k, v) -> sb.append(' ').append(k).append("=\"").append(v).append('"'));
    if (content instanceof Content.None) {
      sb.append("/>");
      return;
    }
    sb.append('>');
    if (content instanceof Content.Children c) {
      for (Node child : c.nodes()) {
        child.appendTo(sb);
      }
    } else if (content instanceof Content.Text t) {
      sb.append(t.value().length() > 64 ? t.value().substring(0, 64) + "…" : t.value());
    } else if (content instanceof Content.Bytes b) {
      sb.append("[").append(b.length()).append(" bytes]");
    }
    sb.append("</").append(tag).append('>');
  }
}
