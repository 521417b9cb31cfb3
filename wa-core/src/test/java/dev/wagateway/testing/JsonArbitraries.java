package dev.wagateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Arbitrary JSON for fuzzing inputs (jqwik): objects keyed by the field names an input knows (and
 * strangers), holding plausible values more often than random ones, nested up to a depth. Shared
 * by the fuzz tests of the modules that read JSON from outside.
 */
public final class JsonArbitraries {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonArbitraries() {}

  /**
   * @param names field names to build objects from
   * @param plausible string values that look like real input (phone numbers, URLs, types)
   * @param objectWeight how often a non-leaf value is an object (leaves weigh 4, arrays 1)
   */
  public static Arbitrary<JsonNode> value(List<String> names, List<String> plausible, int depth, int objectWeight) {
    Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(F::textNode),
        Arbitraries.of(plausible).map(F::textNode),
        Arbitraries.longs().map(F::numberNode),
        Arbitraries.doubles().map(F::numberNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.just(F.nullNode()));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> next = value(names, plausible, depth - 1, objectWeight);
    Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of(names), next).ofMaxSize(4).map(m -> {
      ObjectNode o = F.objectNode();
      m.forEach(o::set);
      return o;
    });
    Arbitrary<JsonNode> array = next.list().ofMaxSize(3).map(l -> {
      ArrayNode a = F.arrayNode();
      l.forEach(a::add);
      return a;
    });
    return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(objectWeight, object), Tuple.of(1, array));
  }
}
