package dev.wagateway.web.binary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.web.ProtocolException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * encode∘decode is the identity on generated nodes, and decoding random or mutated bytes only
 * ever throws {@link ProtocolException}.
 */
class BinaryNodesPropertiesTest {
  private static final List<String> SAMPLE_TOKENS = List.of("iq", "message", "receipt", "type",
      "id", "to", "from", "s.whatsapp.net", "g.us", "w:sync:app:state", "regular_high", "enc",
      "participant", "notification", "status", "broadcast");

  @Property(tries = 400)
  void decodeOfEncodeIsIdentity(@ForAll("nodes") Node node) {
    byte[] frame = BinaryNodes.encode(node);
    assertThat(BinaryNodes.decode(frame)).isEqualTo(node);
  }

  @Property(tries = 1000)
  void randomBytesOnlyThrowProtocolException(@ForAll byte[] bytes) {
    decodeOrProtocolException(bytes);
  }

  @Property(tries = 1000)
  void mutatedFramesOnlyThrowProtocolException(@ForAll("nodes") Node node,
      @ForAll("mutations") List<Integer> mutations) {
    byte[] frame = BinaryNodes.encode(node);
    for (int i = 0; i + 1 < mutations.size(); i += 2) {
      int at = Math.floorMod(mutations.get(i), frame.length);
      frame[at] = (byte) (int) mutations.get(i + 1);
    }
    if (!mutations.isEmpty() && mutations.get(0) % 3 == 0) {
      frame = java.util.Arrays.copyOf(frame, Math.floorMod(mutations.get(0), frame.length + 1));
    }
    decodeOrProtocolException(frame);
  }

  private static void decodeOrProtocolException(byte[] bytes) {
    try {
      Node decoded = BinaryNodes.decode(bytes);
      // whatever decodes re-encodes to a frame that decodes to the same node
      assertThat(BinaryNodes.decode(BinaryNodes.encode(decoded))).isEqualTo(decoded);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<List<Integer>> mutations() {
    return Arbitraries.integers().between(-256, 100_000).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Node> nodes() {
    return node(3);
  }

  private Arbitrary<Node> node(int depth) {
    Arbitrary<String> tag = Arbitraries.oneOf(Arbitraries.of(SAMPLE_TOKENS), rawStrings(1, 12));
    Arbitrary<Map<String, String>> attrs = Arbitraries.maps(
        Arbitraries.oneOf(Arbitraries.of(SAMPLE_TOKENS), rawStrings(1, 10)), values())
        .ofMaxSize(6).map(LinkedHashMap::new);
    Arbitrary<Node.Content> content = depth == 0
        ? leafContent()
        : Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, leafContent()),
            net.jqwik.api.Tuple.of(2, node(depth - 1).list().ofMaxSize(4)
                .map(n -> (Node.Content) new Node.Content.Children(n))));
    return Combinators.combine(tag, attrs, content).as(Node::of);
  }

  private Arbitrary<Node.Content> leafContent() {
    return Arbitraries.oneOf(
        Arbitraries.just(new Node.Content.None()),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
            .map(b -> (Node.Content) new Node.Content.Bytes(b)),
        compactStrings().map(s -> (Node.Content) new Node.Content.Text(s)));
  }

  /** Attribute values: anything, including JIDs in every canonical form. */
  private Arbitrary<String> values() {
    return Arbitraries.oneOf(compactStrings(), rawStrings(0, 300));
  }

  /** Strings the wire writes in a compact form, which therefore decode as text. */
  private Arbitrary<String> compactStrings() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789-.").ofMinLength(1).ofMaxLength(127);
    Arbitrary<String> hexes = Arbitraries.strings().withChars("0123456789ABCDEF").ofMinLength(1).ofMaxLength(127);
    Arbitrary<String> user = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20);
    Arbitrary<String> server = Arbitraries.of("s.whatsapp.net", "g.us", "lid", "broadcast",
        "newsletter", "hosted", "hosted.lid", "c.us");
    Arbitrary<String> pairJid = Combinators.combine(user, server).as((u, s) -> u + "@" + s);
    Arbitrary<String> deviceJid = Combinators.combine(user,
        Arbitraries.integers().between(1, 255),
        Arbitraries.of("s.whatsapp.net", "lid", "hosted", "hosted.lid"))
        .as((u, d, s) -> u + ":" + d + "@" + s);
    return Arbitraries.oneOf(Arbitraries.of(SAMPLE_TOKENS), digits, hexes, pairJid, deviceJid);
  }

  private static StringArbitrary rawStringsBase() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars("ÄöüßA😀 _:@/+=");
  }

  private static Arbitrary<String> rawStrings(int min, int max) {
    return rawStringsBase().ofMinLength(min).ofMaxLength(max)
        // an unpaired surrogate cannot survive UTF-8; and '@' strings must be real JIDs or raw
        .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
        .filter(s -> !s.isEmpty() || min == 0);
  }
}
