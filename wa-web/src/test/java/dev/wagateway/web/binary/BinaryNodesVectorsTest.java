package dev.wagateway.web.binary;

import static dev.wagateway.web.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BinaryNodesVectorsTest {
  private static final JsonNode NODES = Vectors.load("binary-nodes.json");
  private static final JsonNode JIDS = Vectors.load("jids.json");
  private static final JsonNode TOKENS = Vectors.load("tokens.json");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    NODES.get("cases").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodesByteForByteAndDecodesToTheOraclesReading(String name, JsonNode c) {
    byte[] encoded = hex(c.get("encodedHex"));
    if (!c.path("decodeOnly").asBoolean()) {
      assertThat(hex(BinaryNodes.encode(JsonNodes.toNode(c.get("node")))))
          .isEqualTo(c.get("encodedHex").asText());
    }
    Node decoded = BinaryNodes.decode(encoded);
    assertThat(decoded).isEqualTo(JsonNodes.toNode(c.get("decoded")));
    // what was decoded encodes to bytes that decode to it again (a fixed point after one trip)
    assertThat(BinaryNodes.decode(BinaryNodes.encode(decoded))).isEqualTo(decoded);
  }

  @Test
  void theCompressedCaseReallyIsCompressed() {
    JsonNode compressed = null;
    for (JsonNode c : NODES.get("cases")) {
      if (c.path("decodeOnly").asBoolean()) {
        compressed = c;
      }
    }
    assertThat(compressed).isNotNull();
    assertThat(hex(compressed.get("encodedHex"))[0] & 2).isEqualTo(2);
  }

  @Test
  void jidWireForms() {
    assertThat(JIDS.get("cases")).hasSizeGreaterThan(10);
    for (JsonNode c : JIDS.get("cases")) {
      String jid = c.get("jid").asText();
      Node node = Node.of("x", Node.attributes("jid", jid));
      assertThat(hex(BinaryNodes.encode(node))).as(jid).isEqualTo(c.get("encodedHex").asText());
      assertThat(BinaryNodes.decode(hex(c.get("encodedHex"))).attr("jid")).isEqualTo(jid);
    }
  }

  @Test
  void theDictionaryIsTheVectorsDictionary() {
    Dictionary d = Dictionary.v3();
    JsonNode single = TOKENS.get("singleByteTokens");
    assertThat(d.singleByteCount()).isEqualTo(single.size());
    for (int i = 1; i < single.size(); i++) {
      assertThat(d.single(i)).isEqualTo(single.get(i).asText());
    }
    JsonNode doubles = TOKENS.get("doubleByteTokens");
    for (int dict = 0; dict < doubles.size(); dict++) {
      for (int i = 0; i < doubles.get(dict).size(); i++) {
        assertThat(d.doubleByte(dict, i)).isEqualTo(doubles.get(dict).get(i).asText());
      }
    }
    assertThat(TOKENS.get("tags").get("AD_JID").asInt()).isEqualTo(Tags.AD_JID);
    assertThat(TOKENS.get("tags").get("LIST_16").asInt()).isEqualTo(Tags.LIST_16);
    assertThat(TOKENS.get("tags").get("BINARY_20").asInt()).isEqualTo(Tags.BINARY_20);
    assertThat(TOKENS.get("tags").get("NIBBLE_8").asInt()).isEqualTo(Tags.NIBBLE_8);
  }

  @Test
  void malformedFramesAreProtocolExceptionsThatSayWhere() {
    assertThatThrownBy(() -> BinaryNodes.decode(new byte[0]))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("empty frame");
    // LIST_8 of 3 items, then the input ends
    assertThatThrownBy(() -> BinaryNodes.decode(hex("00f803")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("ends early");
    // a BINARY_32 content claiming 2 GiB
    assertThatThrownBy(() -> BinaryNodes.decode(hex("00f8021dfe7fffffff")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("remain");
    // a LIST_16 of 65,535 children in a 6-byte frame
    assertThatThrownBy(() -> BinaryNodes.decode(hex("00f8021df9ffff")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("65535 children");
    // a nibble 12 is not a digit, '-' or '.'
    assertThatThrownBy(() -> BinaryNodes.decode(hex("00f8011dff01cc")))
        .isInstanceOf(ProtocolException.class);
    // a compressed flag on bytes that are not zlib
    assertThatThrownBy(() -> BinaryNodes.decode(hex("020102030405")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("zlib");
    // trailing bytes after a complete node
    assertThatThrownBy(() -> BinaryNodes.decode(hex("00f8011f00")))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("after the node");
  }

  @Test
  void deepNestingIsBounded() {
    StringBuilder hex = new StringBuilder("00");
    for (int i = 0; i < 200; i++) {
      hex.append("f8021df801");
    }
    hex.append("f8011d");
    assertThatThrownBy(() -> BinaryNodes.decode(hex(hex.toString())))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("deeper than");
  }

  @Test
  void aZipBombIsCutAtTheLimit() {
    byte[] big = new byte[4 * 1024 * 1024];
    Node node = Node.of("enc", Node.attributes(), big);
    byte[] plain = BinaryNodes.encode(node);
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(plain, 1, plain.length - 1);
    deflater.finish();
    byte[] buf = new byte[plain.length];
    int n = deflater.deflate(buf);
    deflater.end();
    byte[] frame = new byte[n + 1];
    frame[0] = 2;
    System.arraycopy(buf, 0, frame, 1, n);
    assertThat(BinaryNodes.decode(frame)).isEqualTo(node);
    assertThatThrownBy(() -> BinaryNodes.decode(frame, 1024 * 1024))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("inflates past");
  }

  @Test
  void oddJidsReadBackAsTheSameString() {
    // found by the mutation property on JDK 25: a device JID whose user is a token with '_'
    for (String jid : new String[] {"ctwa_first_business_reply_logging:1@hosted.lid",
        "491701234567_1@s.whatsapp.net", "a:b@g.us", "a:b:3@lid", ":3@lid", "x:00@s.whatsapp.net",
        "a@b@c", "a@b:3@lid", "x:256@lid"}) {
      Node node = Node.ofText("x", Node.attributes("jid", jid), jid);
      Node decoded = BinaryNodes.decode(BinaryNodes.encode(node));
      assertThat(decoded).as(jid).isEqualTo(node);
    }
  }

  @Test
  void toStringHidesBytes() {
    Node node = Node.of("enc", Node.attributes("type", "pkmsg"), new byte[] {1, 2, 3});
    assertThat(node.toString()).isEqualTo("<enc type=\"pkmsg\">[3 bytes]</enc>");
  }
}
