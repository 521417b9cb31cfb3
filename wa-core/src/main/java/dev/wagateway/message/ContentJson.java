package dev.wagateway.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.ValidationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one JSON form of the structured content types (templates, buttons, lists, choice replies) and
 * of media references, shared by the REST API, the JDBC stores and webhook payloads so that the
 * three never drift apart. Reading is strict: unknown fields and wrong types are refused with a
 * {@link ValidationException} that names the field ({@code template.components[0].parameters[1].text}).
 */
public final class ContentJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The content types this class reads and writes, by {@link MessageContent#type()}. */
  public static final Set<String> TYPES = Set.of("template", "buttons", "list", "choice_reply");

  private ContentJson() {}

  /** True when {@code type} is one of {@link #TYPES}. */
  public static boolean handles(String type) {
    return TYPES.contains(type);
  }

  /** The JSON form of a structured content value (one of {@link #TYPES}). */
  public static ObjectNode write(MessageContent c) {
    ObjectNode n = F.objectNode();
    if (c instanceof MessageContent.Template t) {
      n.put("name", t.name()).put("language", t.language());
      ArrayNode comps = n.putArray("components");
      for (MessageContent.TemplateComponent tc : t.components()) {
        ObjectNode o = comps.addObject().put("type", tc.type());
        if (tc.subType() != null) {
          o.put("subType", tc.subType()).put("index", tc.index());
        }
        ArrayNode ps = o.putArray("parameters");
        tc.parameters().forEach(p -> ps.add(parameter(p)));
      }
    } else if (c instanceof MessageContent.Buttons b) {
      n.put("body", b.body());
      putOpt(n, "header", b.header());
      putOpt(n, "footer", b.footer());
      ArrayNode a = n.putArray("buttons");
      b.buttons().forEach(x -> a.addObject().put("id", x.id()).put("title", x.title()));
    } else if (c instanceof MessageContent.ListMessage l) {
      n.put("body", l.body()).put("buttonText", l.buttonText());
      putOpt(n, "header", l.header());
      putOpt(n, "footer", l.footer());
      ArrayNode secs = n.putArray("sections");
      for (MessageContent.Section s : l.sections()) {
        ObjectNode so = secs.addObject();
        putOpt(so, "title", s.title());
        ArrayNode rows = so.putArray("rows");
        s.rows().forEach(r -> putOpt(rows.addObject().put("id", r.id()).put("title", r.title()), "description",
            r.description()));
      }
    } else if (c instanceof MessageContent.ChoiceReply r) {
      n.put("choiceId", r.choiceId()).put("title", r.title());
    } else {
      throw new IllegalArgumentException("ContentJson does not write " + c.type());
    }
    return n;
  }

  private static ObjectNode parameter(MessageContent.TemplateParameter p) {
    ObjectNode o = F.objectNode();
    if (p instanceof MessageContent.TemplateParameter.Text t) {
      o.put("type", "text").put("text", t.text());
      putOpt(o, "name", t.name());
    } else if (p instanceof MessageContent.TemplateParameter.Payload x) {
      o.put("type", "payload").put("payload", x.payload());
    } else if (p instanceof MessageContent.TemplateParameter.Currency x) {
      o.put("type", "currency").put("fallback", x.fallback()).put("code", x.code()).put("amount1000", x.amount1000());
    } else if (p instanceof MessageContent.TemplateParameter.DateTime x) {
      o.put("type", "date_time").put("fallback", x.fallback());
    } else if (p instanceof MessageContent.TemplateParameter.Media x) {
      o.put("type", x.kind().name().toLowerCase(Locale.ROOT)).set("media", media(x.media(), true));
      putOpt(o, "fileName", x.fileName());
    } else if (p instanceof MessageContent.TemplateParameter.CouponCode x) {
      o.put("type", "coupon_code").put("couponCode", x.code());
    }
    return o;
  }

  /**
   * A media reference: {@code {"mimeType", "url"}}, {@code {"mimeType", "id"}} or, for bytes,
   * {@code {"mimeType", "data": base64}} when {@code withBytes}, else {@code {"mimeType", "size"}}.
   */
  public static ObjectNode media(MediaSource m, boolean withBytes) {
    ObjectNode n = F.objectNode().put("mimeType", m.mimeType());
    if (m instanceof MediaSource.Url u) {
      n.put("url", u.uri().toString());
    } else if (m instanceof MediaSource.Uploaded up) {
      n.put("id", up.mediaId());
    } else if (m instanceof MediaSource.Stored st) {
      n.put("gatewayMediaId", st.mediaId()).put("size", st.size());
    } else if (m instanceof MediaSource.Bytes b) {
      if (withBytes) {
        n.put("data", Base64.getEncoder().encodeToString(b.data()));
      } else {
        n.put("size", b.size());
      }
    }
    return n;
  }

  /** Reads a media reference written by {@link #media(MediaSource, boolean)} (with bytes). */
  public static MediaSource readMedia(@Nullable JsonNode node, String field) {
    ObjectNode o = object(node, field, Set.of("url", "id", "data", "mimeType", "gatewayMediaId", "size"));
    String mime = string(o, "mimeType", field, true);
    String url = string(o, "url", field, false);
    String id = string(o, "id", field, false);
    String data = string(o, "data", field, false);
    String stored = string(o, "gatewayMediaId", field, false);
    int given = (url == null ? 0 : 1) + (id == null ? 0 : 1) + (data == null ? 0 : 1) + (stored == null ? 0 : 1);
    ValidationException.require(given == 1, field, "give exactly one of url, id, gatewayMediaId and data (base64)");
    if (stored != null) {
      JsonNode size = o.get("size");
      ValidationException.require(size != null && size.canConvertToLong(), field + ".size",
          "is required with gatewayMediaId (the byte count)");
      return MediaSource.stored(stored, mime, size.asLong());
    }
    if (url != null) {
      return MediaSource.url(url, mime);
    }
    if (id != null) {
      return MediaSource.uploaded(id, mime);
    }
    try {
      return MediaSource.bytes(Base64.getDecoder().decode(data), mime);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field + ".data", "not valid base64");
    }
  }

  /** Reads the JSON form of content of {@code type} (one of {@link #TYPES}); {@code field} names it in errors. */
  public static MessageContent read(String type, @Nullable JsonNode node, String field) {
    return switch (type) {
      case "template" -> {
        ObjectNode o = object(node, field, Set.of("name", "language", "components"));
        List<MessageContent.TemplateComponent> comps = list(o, "components", field, false,
            (c, f) -> component(c, f));
        yield new MessageContent.Template(string(o, "name", field, true), string(o, "language", field, true), comps);
      }
      case "buttons" -> {
        ObjectNode o = object(node, field, Set.of("body", "header", "footer", "buttons"));
        yield new MessageContent.Buttons(string(o, "body", field, true), string(o, "header", field, false),
            string(o, "footer", field, false), list(o, "buttons", field, true, (b, f) -> {
              ObjectNode bo = object(b, f, Set.of("id", "title"));
              return MessageContent.Choice.of(string(bo, "id", f, true), string(bo, "title", f, true));
            }));
      }
      case "list" -> {
        ObjectNode o = object(node, field, Set.of("body", "buttonText", "header", "footer", "sections"));
        yield new MessageContent.ListMessage(string(o, "body", field, true), string(o, "buttonText", field, true),
            string(o, "header", field, false), string(o, "footer", field, false),
            list(o, "sections", field, true, (s, f) -> {
              ObjectNode so = object(s, f, Set.of("title", "rows"));
              return new MessageContent.Section(string(so, "title", f, false), list(so, "rows", f, true, (r, rf) -> {
                ObjectNode ro = object(r, rf, Set.of("id", "title", "description"));
                return new MessageContent.Choice(string(ro, "id", rf, true), string(ro, "title", rf, true),
                    string(ro, "description", rf, false));
              }));
            }));
      }
      case "choice_reply" -> {
        ObjectNode o = object(node, field, Set.of("choiceId", "title"));
        yield new MessageContent.ChoiceReply(string(o, "choiceId", field, true), string(o, "title", field, true));
      }
      default -> throw new IllegalArgumentException("ContentJson does not read " + type);
    };
  }

  private static MessageContent.TemplateComponent component(JsonNode c, String f) {
    ObjectNode o = object(c, f, Set.of("type", "subType", "index", "parameters"));
    JsonNode index = o.get("index");
    ValidationException.require(index == null || index.isNull() || index.canConvertToInt(), f + ".index",
        "must be a whole number");
    return new MessageContent.TemplateComponent(string(o, "type", f, true), string(o, "subType", f, false),
        index == null || index.isNull() ? null : index.asInt(), list(o, "parameters", f, false, ContentJson::parameter));
  }

  private static MessageContent.TemplateParameter parameter(JsonNode p, String f) {
    ValidationException.require(p != null && p.isObject(), f, "must be an object");
    String type = string((ObjectNode) p, "type", f, true);
    return switch (type) {
      case "text" -> {
        ObjectNode o = object(p, f, Set.of("type", "text", "name"));
        yield new MessageContent.TemplateParameter.Text(string(o, "text", f, true), string(o, "name", f, false));
      }
      case "payload" -> new MessageContent.TemplateParameter.Payload(
          string(object(p, f, Set.of("type", "payload")), "payload", f, true));
      case "currency" -> {
        ObjectNode o = object(p, f, Set.of("type", "fallback", "code", "amount1000"));
        JsonNode amount = o.get("amount1000");
        ValidationException.require(amount != null && amount.canConvertToLong(), f + ".amount1000",
            "is required (a whole number: the amount times 1000)");
        yield new MessageContent.TemplateParameter.Currency(string(o, "fallback", f, true), string(o, "code", f, true),
            amount.asLong());
      }
      case "date_time" -> new MessageContent.TemplateParameter.DateTime(
          string(object(p, f, Set.of("type", "fallback")), "fallback", f, true));
      case "image", "video", "document" -> {
        ObjectNode o = object(p, f, Set.of("type", "media", "fileName"));
        yield new MessageContent.TemplateParameter.Media(MediaKind.valueOf(type.toUpperCase(Locale.ROOT)),
            readMedia(o.get("media"), f + ".media"), string(o, "fileName", f, false));
      }
      case "coupon_code" -> new MessageContent.TemplateParameter.CouponCode(
          string(object(p, f, Set.of("type", "couponCode")), "couponCode", f, true));
      default -> throw new ValidationException(f + ".type",
          "one of text, payload, currency, date_time, image, video, document, coupon_code");
    };
  }

  // ---- strict readers ----

  private static ObjectNode object(@Nullable JsonNode node, String field, Set<String> allowed) {
    ValidationException.require(node != null && node.isObject(), field, "must be an object");
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      ValidationException.require(allowed.contains(k), field + "." + k,
          "unknown field; allowed: " + new java.util.TreeSet<>(allowed));
    }
    return (ObjectNode) node;
  }

  private static @Nullable String string(ObjectNode o, String key, String field, boolean required) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      ValidationException.require(!required, field + "." + key, "is required (a string)");
      return null;
    }
    ValidationException.require(n.isTextual(), field + "." + key, "must be a string");
    return n.asText();
  }

  private interface ItemReader<T> {
    T read(JsonNode item, String field);
  }

  private static <T> List<T> list(ObjectNode o, String key, String field, boolean required, ItemReader<T> reader) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      ValidationException.require(!required, field + "." + key, "is required (an array)");
      return List.of();
    }
    ValidationException.require(n.isArray(), field + "." + key, "must be an array");
    ValidationException.require(n.size() <= 100, field + "." + key, "at most 100 entries");
    List<T> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(reader.read(n.get(i), field + "." + key + "[" + i + "]"));
    }
    return out;
  }

  private static void putOpt(ObjectNode n, String key, @Nullable String value) {
    if (value != null) {
      n.put(key, value);
    }
  }
}
