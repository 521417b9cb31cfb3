package dev.wagateway.web.binary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The binary node dictionary, version 3: single-byte tokens and four double-byte dictionaries. */
public final class Dictionary {
  public static final int VERSION = 3;

  private static final Dictionary V3 = load("dictionary-v3.json");

  private final List<String> single;
  private final List<List<String>> doubles;
  /** token → (dictionary << 8 | index), with dictionary -1 for single-byte tokens. */
  private final Map<String, Integer> codes;

  private Dictionary(List<String> single, List<List<String>> doubles) {
    this.single = List.copyOf(single);
    this.doubles = doubles.stream().map(List::copyOf).toList();
    Map<String, Integer> map = new HashMap<>();
    for (int i = 0; i < single.size(); i++) {
      map.put(single.get(i), -1 << 8 | i);
    }
    // a token in both tables is written in its double-byte form, as the official client does
    for (int d = 0; d < doubles.size(); d++) {
      for (int i = 0; i < doubles.get(d).size(); i++) {
        map.put(doubles.get(d).get(i), d << 8 | i);
      }
    }
    this.codes = Map.copyOf(map);
  }

  public static Dictionary v3() {
    return V3;
  }

  public int singleByteCount() {
    return single.size();
  }

  public @Nullable String single(int index) {
    return index > 0 && index < single.size() ? single.get(index) : null;
  }

  public @Nullable String doubleByte(int dictionary, int index) {
    if (dictionary < 0 || dictionary >= doubles.size()) {
      return null;
    }
    List<String> dict = doubles.get(dictionary);
    return index >= 0 && index < dict.size() ? dict.get(index) : null;
  }

  /** The token's code ({@code dictionary << 8 | index}, dictionary -1 for single), or null. */
  @Nullable Integer code(String token) {
    return codes.get(token);
  }

  private static Dictionary load(String resource) {
    try (InputStream in = Dictionary.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("wa-web is missing its resource " + resource);
      }
      JsonNode json = new ObjectMapper().readTree(in);
      List<String> single = new ArrayList<>();
      json.get("singleByteTokens").forEach(t -> single.add(t.asText()));
      List<List<String>> doubles = new ArrayList<>();
      json.get("doubleByteTokens").forEach(d -> {
        List<String> dict = new ArrayList<>();
        d.forEach(t -> dict.add(t.asText()));
        doubles.add(dict);
      });
      return new Dictionary(single, doubles);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
