package dev.wagateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.message.ContentJson;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.Priority;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a send request's JSON into a {@link MessageRequest}. Every field is type-checked and named
 * in errors; unknown fields are refused (a misspelt {@code notBefore} would otherwise send at once).
 * The content constructors then check limits (text length, media size and type, coordinates).
 */
final class MessageBodies {
  static final Set<String> COMMON = Set.of("to", "type", "idempotencyKey", "notBefore", "expiresAt", "priority",
      "replyTo");
  static final Map<String, Set<String>> CONTENT_FIELDS = Map.ofEntries(
      Map.entry("template", Set.of("template")),
      Map.entry("buttons", Set.of("buttons")),
      Map.entry("list", Set.of("list")),
      Map.entry("text", Set.of("text", "previewUrl")),
      Map.entry("image", Set.of("media", "caption")),
      Map.entry("video", Set.of("media", "caption")),
      Map.entry("audio", Set.of("media", "voiceNote")),
      Map.entry("document", Set.of("media", "fileName", "caption")),
      Map.entry("sticker", Set.of("media", "animated")),
      Map.entry("location", Set.of("latitude", "longitude", "name", "address")),
      Map.entry("contact", Set.of("displayName", "phoneNumbers")),
      Map.entry("reaction", Set.of("targetMessageId", "emoji")));

  private MessageBodies() {}

  static MessageRequest parse(String session, ObjectNode b) {
    String type = optString(b, "type");
    type = type == null ? "text" : type.toLowerCase(Locale.ROOT);
    Set<String> fields = CONTENT_FIELDS.get(type);
    if (fields == null) {
      throw ApiException.badRequest("type", "unknown message type '" + type + "'; one of "
          + new java.util.TreeSet<>(CONTENT_FIELDS.keySet()));
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!COMMON.contains(f) && !fields.contains(f)) {
        throw ApiException.badRequest(f, "unknown field for a " + type + " message; allowed: "
            + new java.util.TreeSet<>(fields) + " and " + new java.util.TreeSet<>(COMMON));
      }
    }
    MessageRequest.Builder r = MessageRequest.builder().session(session).to(requireString(b, "to"))
        .content(content(type, b));
    r.idempotencyKey(optString(b, "idempotencyKey"));
    r.notBefore(instant(b, "notBefore"));
    r.expiresAt(instant(b, "expiresAt"));
    r.replyTo(optString(b, "replyTo"));
    String p = optString(b, "priority");
    if (p != null) {
      try {
        r.priority(Priority.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("priority", "one of " + java.util.Arrays.toString(Priority.values()));
      }
    }
    return r.build();
  }

  private static MessageContent content(String type, ObjectNode b) {
    return switch (type) {
      case "text" -> new MessageContent.Text(requireString(b, "text"), bool(b, "previewUrl"));
      case "image" -> new MessageContent.Image(media(b), optString(b, "caption"));
      case "video" -> new MessageContent.Video(media(b), optString(b, "caption"));
      case "audio" -> new MessageContent.Audio(media(b), bool(b, "voiceNote"));
      case "document" -> new MessageContent.Document(media(b), requireString(b, "fileName"), optString(b, "caption"));
      case "sticker" -> new MessageContent.Sticker(media(b), bool(b, "animated"));
      case "location" -> new MessageContent.Location(number(b, "latitude"), number(b, "longitude"),
          optString(b, "name"), optString(b, "address"));
      case "contact" -> new MessageContent.Contact(requireString(b, "displayName"), strings(b, "phoneNumbers"));
      case "reaction" -> new MessageContent.Reaction(requireString(b, "targetMessageId"),
          java.util.Objects.requireNonNullElse(optString(b, "emoji"), "")); // empty removes a reaction
      case "template", "buttons", "list" -> ContentJson.read(type, b.get(type), type);
      default -> throw new IllegalStateException(type);
    };
  }

  /**
   * {"url": "https://...", "mimeType": "image/jpeg"}, {"id": "<provider media id>", "mimeType": ...}
   * or {"data": "<base64>", "mimeType": ...}.
   */
  private static MediaSource media(ObjectNode b) {
    return ContentJson.readMedia(b.get("media"), "media");
  }

  static String requireString(ObjectNode b, String field) {
    return requireString(b, field, field);
  }

  private static String requireString(ObjectNode b, String key, String field) {
    String s = optString(b, key, field);
    if (s == null || s.isEmpty()) {
      throw ApiException.badRequest(field, "is required (a string)");
    }
    return s;
  }

  static @Nullable String optString(ObjectNode b, String field) {
    return optString(b, field, field);
  }

  private static @Nullable String optString(ObjectNode b, String key, String field) {
    JsonNode n = b.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(field, "must be a string");
    }
    return n.asText();
  }

  static boolean bool(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw ApiException.badRequest(field, "must be true or false");
    }
    return n.asBoolean();
  }

  private static double number(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isNumber()) {
      throw ApiException.badRequest(field, "is required (a number)");
    }
    return n.asDouble();
  }

  private static List<String> strings(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isArray()) {
      throw ApiException.badRequest(field, "is required (an array of strings)");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw ApiException.badRequest(field + "[" + i + "]", "must be a string");
      }
      out.add(n.get(i).asText());
    }
    return out;
  }

  static @Nullable Instant instant(ObjectNode b, String field) {
    String s = optString(b, field);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(field, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
    }
  }
}
