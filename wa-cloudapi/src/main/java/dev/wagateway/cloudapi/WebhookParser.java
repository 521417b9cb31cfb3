package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.ValidationException;
import dev.wagateway.cloudapi.MetaErrors.MetaError;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.Inbound;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MediaKind;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code value} of one {@code messages} change of a Meta webhook into items: inbound
 * messages, reactions and statuses, each with the key that identifies it against redelivery.
 * Tolerant of what it does not know (new message types, new fields): such parts are skipped with a
 * log line and never fail the rest of the batch.
 */
final class WebhookParser {
  private static final Logger log = LoggerFactory.getLogger(WebhookParser.class);

  private WebhookParser() {}

  /** Something to hand to the session, and the key it is remembered by. */
  sealed interface Item {
    String key();
  }

  record InboundItem(String key, Inbound inbound) implements Item {}

  record StatusItem(String key, String providerMessageId, MessageStatus status, Instant at,
      @Nullable Failure failure, @Nullable Disconnect sessionEffect) implements Item {}

  static List<Item> parse(JsonNode value, String sessionId, CloudApiConfig config, Instant now) {
    List<Item> items = new ArrayList<>();
    JsonNode contacts = value.path("contacts");
    for (JsonNode m : value.path("messages")) {
      try {
        Item it = message(m, contacts, sessionId, now);
        if (it != null) {
          items.add(it);
        }
      } catch (ValidationException | IllegalArgumentException e) {
        log.warn("skipped an inbound Cloud API message of session {} that cannot be read: {}", sessionId,
            e.getMessage());
      }
    }
    for (JsonNode s : value.path("statuses")) {
      Item it = status(s, config, now);
      if (it != null) {
        items.add(it);
      }
    }
    for (JsonNode e : value.path("errors")) {
      MetaError err = MetaError.parse(0, e);
      log.warn("Meta reported an error for session {}: {}", sessionId, err == null ? "unreadable" : err.code()
          + " " + err.describe());
    }
    return items;
  }

  private static @Nullable Item message(JsonNode m, JsonNode contacts, String sessionId, Instant now) {
    String id = text(m, "id");
    if (id == null || id.length() > 256) {
      log.warn("skipped an inbound Cloud API message without a usable id (session {})", sessionId);
      return null;
    }
    Jid sender = sender(m, contacts);
    Instant at = epochSeconds(m.path("timestamp"), now);
    String replyTo = text(m.path("context"), "id");
    String type = m.path("type").asText("");
    String key = "cloudapi:msg:" + id;
    if (type.equals("reaction")) {
      JsonNode r = m.path("reaction");
      String target = text(r, "message_id");
      if (target == null) {
        return null;
      }
      return new InboundItem(key, new Inbound.Reaction(sender, sender, target, r.path("emoji").asText("")));
    }
    MessageContent content = content(type, m);
    if (content == null) {
      log.info("skipped an inbound Cloud API message of type '{}' the gateway does not model (session {})",
          clip(type), sessionId);
      return null;
    }
    return new InboundItem(key, new Inbound.Message(new InboundMessage(id, sessionId, sender, sender, content,
        replyTo, at, profile(m, contacts))));
  }

  /** The sender: its phone number when Meta gives one, else its business-scoped user id. */
  private static Jid sender(JsonNode m, JsonNode contacts) {
    String from = text(m, "from");
    if (from != null && from.matches("[0-9]{6,20}")) {
      return Jid.ofPhone("from", "+" + from);
    }
    String bsuid = text(m, "from_user_id");
    if (bsuid == null && contacts.isArray() && contacts.size() > 0) {
      bsuid = text(contacts.get(0), "user_id");
    }
    if (bsuid != null) {
      return Jid.ofBsuid("from_user_id", bsuid);
    }
    throw new ValidationException("from", "the message names neither a phone number nor a user id");
  }

  /** The contact Meta sent with the message: the one with its sender's ids, else the only one. */
  private static InboundMessage.@Nullable SenderProfile profile(JsonNode m, JsonNode contacts) {
    if (!contacts.isArray() || contacts.isEmpty()) {
      return null;
    }
    JsonNode c = contacts.get(0);
    String from = text(m, "from");
    String fromUser = text(m, "from_user_id");
    for (JsonNode x : contacts) {
      if ((from != null && from.equals(text(x, "wa_id"))) || (fromUser != null && fromUser.equals(text(x, "user_id")))) {
        c = x;
      }
    }
    String name = text(c.path("profile"), "name");
    String username = text(c.path("profile"), "username");
    String userId = text(c, "user_id");
    Jid user = null;
    if (userId != null) {
      try {
        user = Jid.ofBsuid("contacts.user_id", userId);
      } catch (RuntimeException e) {
        user = null; // a shape Meta may introduce later: the message still goes through
      }
    }
    if (name == null && username == null && user == null) {
      return null;
    }
    return new InboundMessage.SenderProfile(clipName(name), clipName(username), user);
  }

  private static @Nullable String clipName(@Nullable String s) {
    return s == null ? null : s.length() > 256 ? s.substring(0, 256) : s;
  }

  private static @Nullable MessageContent content(String type, JsonNode m) {
    JsonNode b = m.path(type);
    return switch (type) {
      case "text" -> text(b.path("body").asText(""));
      case "image" -> media(MediaKind.IMAGE, b, k -> new MessageContent.Image(k, caption(b)));
      case "video" -> media(MediaKind.VIDEO, b, k -> new MessageContent.Video(k, caption(b)));
      case "audio" -> media(MediaKind.AUDIO, b, k -> new MessageContent.Audio(k, b.path("voice").asBoolean()));
      case "sticker" -> media(MediaKind.STICKER, b, k -> new MessageContent.Sticker(k, b.path("animated").asBoolean()));
      case "document" -> media(MediaKind.DOCUMENT, b, k -> new MessageContent.Document(k, fileName(b), caption(b)));
      case "location" -> new MessageContent.Location(b.path("latitude").asDouble(), b.path("longitude").asDouble(),
          text(b, "name"), text(b, "address"));
      case "contacts" -> contact(b);
      case "interactive" -> {
        JsonNode reply = b.has("button_reply") ? b.get("button_reply") : b.path("list_reply");
        String id = text(reply, "id");
        yield id == null ? null : new MessageContent.ChoiceReply(id, reply.path("title").asText(""));
      }
      case "button" -> {
        String payload = text(b, "payload");
        yield payload == null ? null : new MessageContent.ChoiceReply(payload, b.path("text").asText(""));
      }
      default -> null;
    };
  }

  /** Users may write more than a send allows; the rest is cut with a mark rather than lost whole. */
  private static MessageContent text(String body) {
    if (body.isBlank()) {
      return new MessageContent.Text("(empty)", false);
    }
    if (body.length() > MessageContent.MAX_TEXT_LENGTH) {
      log.warn("an inbound text of {} characters was cut to {}", body.length(), MessageContent.MAX_TEXT_LENGTH);
      return new MessageContent.Text(body.substring(0, MessageContent.MAX_TEXT_LENGTH - 1) + "…", false);
    }
    return new MessageContent.Text(body, false);
  }

  private interface Build {
    MessageContent with(MediaSource media);
  }

  /**
   * Inbound media by its Cloud API id (the bytes are fetched on demand: the URL Meta gives for it
   * expires within minutes). A type WhatsApp's send rules would refuse (an image/webp "image") is
   * kept as a document so that it is not lost.
   */
  private static @Nullable MessageContent media(MediaKind kind, JsonNode b, Build build) {
    String id = text(b, "id");
    if (id == null) {
      return null;
    }
    String mime = b.path("mime_type").asText("application/octet-stream");
    int semi = mime.indexOf(';');
    mime = (semi >= 0 ? mime.substring(0, semi) : mime).strip().toLowerCase(Locale.ROOT);
    if (!mime.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
      mime = "application/octet-stream";
    }
    MediaSource source = MediaSource.uploaded(id, mime);
    try {
      return build.with(source);
    } catch (ValidationException e) {
      return new MessageContent.Document(source, kind.name().toLowerCase(Locale.ROOT), caption(b));
    }
  }

  private static @Nullable String caption(JsonNode b) {
    String c = text(b, "caption");
    return c == null ? null : c.length() > MessageContent.MAX_CAPTION_LENGTH
        ? c.substring(0, MessageContent.MAX_CAPTION_LENGTH - 1) + "…" : c;
  }

  private static String fileName(JsonNode b) {
    String f = text(b, "filename");
    if (f == null || f.isBlank()) {
      return "document";
    }
    String clean = f.replaceAll("[/\\\\]", "_");
    return clean.length() > 240 ? clean.substring(0, 240) : clean;
  }

  private static @Nullable MessageContent contact(JsonNode b) {
    for (JsonNode card : b) {
      String name = card.path("name").path("formatted_name").asText("");
      List<String> phones = new ArrayList<>();
      for (JsonNode p : card.path("phones")) {
        String digits = p.path("wa_id").asText(p.path("phone").asText(""));
        if (!digits.isBlank() && phones.size() < 20) {
          phones.add(digits.startsWith("+") ? digits : "+" + digits.replaceAll("[^0-9]", ""));
        }
      }
      if (!name.isBlank() && !phones.isEmpty()) {
        return new MessageContent.Contact(name.length() > 256 ? name.substring(0, 256) : name, phones);
      }
    }
    return null;
  }

  private static @Nullable Item status(JsonNode s, CloudApiConfig config, Instant now) {
    String id = text(s, "id");
    String status = s.path("status").asText("").toLowerCase(Locale.ROOT);
    if (id == null || id.length() > 256) {
      return null;
    }
    Instant at = epochSeconds(s.path("timestamp"), now);
    String key = "cloudapi:status:" + id + ":" + status;
    return switch (status) {
      case "sent" -> new StatusItem(key, id, MessageStatus.SENT, at, null, null);
      case "delivered" -> new StatusItem(key, id, MessageStatus.DELIVERED, at, null, null);
      case "read" -> new StatusItem(key, id, MessageStatus.READ, at, null, null);
      case "played" -> new StatusItem(key, id, MessageStatus.PLAYED, at, null, null);
      case "failed" -> {
        JsonNode first = s.path("errors").path(0);
        MetaError err = MetaError.parse(0, first);
        MetaErrors.Mapped mapped = err == null ? null : MetaErrors.map(err, config);
        Failure f = mapped != null ? asFinal(mapped.failure())
            : Failure.of(FailureType.PERMANENT, "failed", "Meta reported the message failed without a reason");
        yield new StatusItem(key, id, MessageStatus.FAILED, at, f, mapped == null ? null : mapped.session());
      }
      default -> {
        log.debug("ignored a Cloud API status '{}'", clip(status));
        yield null;
      }
    };
  }

  /**
   * A failure reported after Meta accepted the message is final: the message is not sent again, so
   * a retryable type is kept as the reason but the code says it came late.
   */
  private static Failure asFinal(Failure f) {
    return new Failure(f.type(), f.code(), f.detail() + " (reported after Meta accepted the message)",
        f.retryAfter(), f.perRecipient());
  }

  private static Instant epochSeconds(JsonNode n, Instant now) {
    String s = n.asText("");
    return s.matches("[0-9]{1,12}") ? Instant.ofEpochSecond(Long.parseLong(s)) : now;
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s.replaceAll("[^A-Za-z0-9_]", "?");
  }
}
