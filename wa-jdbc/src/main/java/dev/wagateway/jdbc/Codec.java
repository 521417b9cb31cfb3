package dev.wagateway.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.StoreException;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.ContentJson;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.Priority;
import dev.wagateway.message.StatusLog;
import dev.wagateway.webhook.DeliveryAttempt;
import dev.wagateway.webhook.DeliveryOutcome;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How rows hold what has no column of its own: a message request as one JSON object (every field,
 * media bytes in base64, so a stored message can be sent again exactly), failures as JSON, and
 * histories (status changes, delivery attempts) as JSON lines appended with {@code ||}, one line
 * per entry, so recording a change never reads the history first.
 */
final class Codec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Codec() {}

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * Binds {@code args} from the first parameter on: instants as epoch nanoseconds, longs, ints,
   * SQL arrays, null as a NULL and anything else as its string.
   */
  static void bind(java.sql.PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else if (a instanceof Instant t) {
        ps.setLong(i + 1, nanos(t));
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof java.sql.Array array) {
        ps.setArray(i + 1, array);
      } else {
        ps.setString(i + 1, a.toString());
      }
    }
  }

  // ---- message requests ----

  static String request(MessageRequest r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("session", r.sessionId()).put("to", r.to().asString()).put("priority", r.priority().name());
    n.put("idempotencyKey", r.idempotencyKey()).put("replyTo", r.replyTo());
    n.put("notBefore", r.notBefore() == null ? null : r.notBefore().toString());
    n.put("expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
    n.set("content", content(r.content()));
    return n.toString();
  }

  /** The stored request of message {@code id}; a row that no longer decodes is a StoreException. */
  static MessageRequest request(String id, String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      return MessageRequest.builder().session(n.get("session").asText()).to(Jid.parse(n.get("to").asText()))
          .priority(Priority.valueOf(n.get("priority").asText())).content(content(n.get("content")))
          .idempotencyKey(text(n, "idempotencyKey")).replyTo(text(n, "replyTo"))
          .notBefore(time(n, "notBefore")).expiresAt(time(n, "expiresAt")).build();
    } catch (JsonProcessingException | RuntimeException e) {
      throw new StoreException("stored message " + id + " cannot be read back: " + e.getClass().getSimpleName(), e);
    }
  }

  private static ObjectNode content(MessageContent c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", c.type());
    if (c instanceof MessageContent.Text t) {
      n.put("body", t.body()).put("previewUrl", t.previewUrl());
    } else if (c instanceof MessageContent.Image i) {
      media(n, i.media()).put("caption", i.caption());
    } else if (c instanceof MessageContent.Video v) {
      media(n, v.media()).put("caption", v.caption());
    } else if (c instanceof MessageContent.Audio a) {
      media(n, a.media()).put("voiceNote", a.voiceNote());
    } else if (c instanceof MessageContent.Document d) {
      media(n, d.media()).put("fileName", d.fileName()).put("caption", d.caption());
    } else if (c instanceof MessageContent.Sticker s) {
      media(n, s.media()).put("animated", s.animated());
    } else if (c instanceof MessageContent.Location l) {
      n.put("latitude", l.latitude()).put("longitude", l.longitude()).put("name", l.name())
          .put("address", l.address());
    } else if (c instanceof MessageContent.Contact ct) {
      n.put("displayName", ct.displayName());
      ArrayNode phones = n.putArray("phoneNumbers");
      ct.phoneNumbers().forEach(p -> phones.add("+" + p));
    } else if (c instanceof MessageContent.Reaction r) {
      n.put("targetMessageId", r.targetMessageId()).put("emoji", r.emoji());
    } else if (ContentJson.handles(c.type())) {
      n.set(c.type(), ContentJson.write(c));
    } else {
      throw new IllegalArgumentException("no storage form for content type " + c.type());
    }
    return n;
  }

  private static ObjectNode media(ObjectNode n, MediaSource m) {
    n.setAll(ContentJson.media(m, true));
    return n;
  }

  private static MessageContent content(JsonNode n) {
    String type = n.get("type").asText();
    return switch (type) {
      case "text" -> new MessageContent.Text(n.get("body").asText(), n.path("previewUrl").asBoolean());
      case "image" -> new MessageContent.Image(media(n), text(n, "caption"));
      case "video" -> new MessageContent.Video(media(n), text(n, "caption"));
      case "audio" -> new MessageContent.Audio(media(n), n.path("voiceNote").asBoolean());
      case "document" -> new MessageContent.Document(media(n), n.get("fileName").asText(), text(n, "caption"));
      case "sticker" -> new MessageContent.Sticker(media(n), n.path("animated").asBoolean());
      case "location" -> new MessageContent.Location(n.get("latitude").asDouble(), n.get("longitude").asDouble(),
          text(n, "name"), text(n, "address"));
      case "contact" -> {
        List<String> phones = new ArrayList<>();
        n.get("phoneNumbers").forEach(p -> phones.add(p.asText()));
        yield new MessageContent.Contact(n.get("displayName").asText(), phones);
      }
      case "reaction" -> new MessageContent.Reaction(n.get("targetMessageId").asText(), n.get("emoji").asText());
      case "template", "buttons", "list", "choice_reply" -> ContentJson.read(type, n.get(type), "content." + type);
      default -> throw new IllegalArgumentException("unknown content type " + type);
    };
  }

  private static MediaSource media(JsonNode n) {
    ObjectNode m = MAPPER.createObjectNode();
    for (String k : new String[] {"mimeType", "url", "id", "data", "gatewayMediaId", "size"}) {
      if (n.hasNonNull(k)) {
        m.set(k, n.get(k));
      }
    }
    return ContentJson.readMedia(m, "content.media");
  }

  // ---- failures ----

  static @Nullable String failure(@Nullable Failure f) {
    return f == null ? null : failureNode(f).toString();
  }

  private static ObjectNode failureNode(Failure f) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", f.type().name()).put("code", f.code()).put("detail", f.detail());
    if (f.retryAfter() != null) {
      n.put("retryAfterMs", f.retryAfter().toMillis());
    }
    if (f.perRecipient()) {
      n.put("perRecipient", true);
    }
    return n;
  }

  static @Nullable Failure failure(@Nullable String json) throws SQLException {
    if (json == null) {
      return null;
    }
    try {
      return failure(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new SQLException("a stored failure is not JSON", e);
    }
  }

  private static @Nullable Failure failure(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    Duration retryAfter = n.hasNonNull("retryAfterMs") ? Duration.ofMillis(n.get("retryAfterMs").asLong()) : null;
    return new Failure(FailureType.valueOf(n.get("type").asText()), n.get("code").asText(),
        n.get("detail").asText(), retryAfter, n.path("perRecipient").asBoolean());
  }

  // ---- histories: JSON lines ----

  static String line(StatusLog.Change c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("s", c.status().name()).put("at", nanos(c.at())).put("cause", c.cause());
    if (c.failure() != null) {
      n.set("failure", failureNode(c.failure()));
    }
    return n.toString() + "\n";
  }

  static List<StatusLog.Change> changes(String lines) throws SQLException {
    List<StatusLog.Change> out = new ArrayList<>(6);
    for (JsonNode n : lines(lines)) {
      out.add(new StatusLog.Change(MessageStatus.valueOf(n.get("s").asText()), instant(n.get("at").asLong()),
          failure(n.get("failure")), n.get("cause").asText()));
    }
    return out;
  }

  static String line(DeliveryAttempt a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("at", nanos(a.at())).put("status", a.statusCode()).put("latencyNanos", a.latency().toNanos())
        .put("outcome", a.outcome().name()).put("error", a.error()).put("excerpt", a.responseExcerpt());
    return n.toString() + "\n";
  }

  static List<DeliveryAttempt> attempts(String lines) throws SQLException {
    List<DeliveryAttempt> out = new ArrayList<>(2);
    for (JsonNode n : lines(lines)) {
      out.add(new DeliveryAttempt(instant(n.get("at").asLong()), n.get("status").asInt(),
          Duration.ofNanos(n.get("latencyNanos").asLong()), DeliveryOutcome.valueOf(n.get("outcome").asText()),
          text(n, "error"), n.get("excerpt").asText()));
    }
    return out;
  }

  private static List<JsonNode> lines(String lines) throws SQLException {
    List<JsonNode> out = new ArrayList<>();
    int start = 0;
    while (start < lines.length()) {
      int end = lines.indexOf('\n', start);
      if (end < 0) {
        end = lines.length();
      }
      if (end > start) {
        try {
          out.add(MAPPER.readTree(lines.substring(start, end)));
        } catch (JsonProcessingException e) {
          throw new SQLException("a stored history line is not JSON", e);
        }
      }
      start = end + 1;
    }
    return out;
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static @Nullable Instant time(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : Instant.parse(v);
  }
}
