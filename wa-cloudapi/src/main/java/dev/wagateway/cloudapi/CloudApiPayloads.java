package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.Failure;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageContent.TemplateParameter;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.engine.EngineSendException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the JSON bodies of {@code POST /{phone-number-id}/messages} from gateway messages, in the
 * shapes of Meta's "Send messages" reference. Media given as bytes must have been uploaded first;
 * {@link #bytesOf} lists them and the upload ids come in as {@code uploaded}.
 */
final class CloudApiPayloads {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CloudApiPayloads() {}

  /** The in-memory media of a message, in the order {@link #message} looks them up. */
  static List<MediaSource.Bytes> bytesOf(MessageContent c) {
    List<MediaSource.Bytes> out = new ArrayList<>();
    MediaSource main = dev.wagateway.media.MediaContent.mediaOf(c);
    if (main instanceof MediaSource.Bytes b) {
      out.add(b);
    }
    if (c instanceof MessageContent.Template t) {
      t.components().forEach(tc -> tc.parameters().forEach(p -> {
        if (p instanceof TemplateParameter.Media m && m.media() instanceof MediaSource.Bytes b) {
          out.add(b);
        }
      }));
    }
    return out;
  }

  /** The send body; {@code uploaded} maps each of {@link #bytesOf} (by identity) to its media id. */
  static ObjectNode message(OutboundMessage m, Map<MediaSource, String> uploaded) {
    ObjectNode n = F.objectNode().put("messaging_product", "whatsapp").put("recipient_type", "individual");
    recipient(n, m.to());
    if (m.replyTo() != null) {
      n.putObject("context").put("message_id", m.replyTo());
    }
    MessageContent c = m.content();
    if (c instanceof MessageContent.Text t) {
      n.put("type", "text").putObject("text").put("body", t.body()).put("preview_url", t.previewUrl());
    } else if (c instanceof MessageContent.Image x) {
      caption(media(n, "image", x.media(), uploaded), x.caption());
    } else if (c instanceof MessageContent.Video x) {
      caption(media(n, "video", x.media(), uploaded), x.caption());
    } else if (c instanceof MessageContent.Audio x) {
      ObjectNode a = media(n, "audio", x.media(), uploaded);
      if (x.voiceNote()) {
        a.put("voice", true);
      }
    } else if (c instanceof MessageContent.Document x) {
      caption(media(n, "document", x.media(), uploaded), x.caption()).put("filename", x.fileName());
    } else if (c instanceof MessageContent.Sticker x) {
      media(n, "sticker", x.media(), uploaded);
    } else if (c instanceof MessageContent.Location l) {
      ObjectNode o = n.put("type", "location").putObject("location").put("latitude", l.latitude())
          .put("longitude", l.longitude());
      putOpt(o, "name", l.name());
      putOpt(o, "address", l.address());
    } else if (c instanceof MessageContent.Contact ct) {
      ObjectNode card = n.put("type", "contacts").putArray("contacts").addObject();
      card.putObject("name").put("formatted_name", ct.displayName()).put("first_name", ct.displayName());
      ArrayNode phones = card.putArray("phones");
      ct.phoneNumbers().forEach(p -> phones.addObject().put("phone", "+" + p).put("wa_id", p).put("type", "CELL"));
    } else if (c instanceof MessageContent.Reaction r) {
      n.put("type", "reaction").putObject("reaction").put("message_id", r.targetMessageId()).put("emoji", r.emoji());
    } else if (c instanceof MessageContent.Template t) {
      template(n, t, uploaded);
    } else if (c instanceof MessageContent.Buttons b) {
      ObjectNode i = interactive(n, "button", b.header(), b.body(), b.footer());
      ArrayNode buttons = i.putObject("action").putArray("buttons");
      b.buttons().forEach(x -> buttons.addObject().put("type", "reply").putObject("reply").put("id", x.id())
          .put("title", x.title()));
    } else if (c instanceof MessageContent.ListMessage l) {
      ObjectNode i = interactive(n, "list", l.header(), l.body(), l.footer());
      ObjectNode action = i.putObject("action").put("button", l.buttonText());
      ArrayNode sections = action.putArray("sections");
      for (MessageContent.Section s : l.sections()) {
        ObjectNode so = sections.addObject();
        putOpt(so, "title", s.title());
        ArrayNode rows = so.putArray("rows");
        s.rows().forEach(r -> putOpt(rows.addObject().put("id", r.id()).put("title", r.title()), "description",
            r.description()));
      }
    } else {
      throw new EngineSendException(Failure.of(FailureType.PERMANENT, "unsupported_content",
          "the Cloud API cannot send " + c.type() + " content"));
    }
    return n;
  }

  /** The body that marks a received message read, with a typing indicator if asked. */
  static ObjectNode markRead(String messageId, boolean typing) {
    ObjectNode n = F.objectNode().put("messaging_product", "whatsapp").put("status", "read")
        .put("message_id", messageId);
    if (typing) {
      n.putObject("typing_indicator").put("type", "text");
    }
    return n;
  }

  private static void recipient(ObjectNode n, Jid to) {
    switch (to.server()) {
      case USER -> n.put("to", to.user());
      case BSUID -> n.put("recipient", to.user());
      default -> throw new EngineSendException(Failure.of(FailureType.RECIPIENT_INVALID, "unsupported_recipient",
          "the Cloud API engine sends to phone numbers and business-scoped user ids, not to "
              + to.server().domain() + " addresses"));
    }
  }

  private static ObjectNode media(ObjectNode n, String type, MediaSource media, Map<MediaSource, String> uploaded) {
    ObjectNode ref = mediaRef(media, uploaded);
    n.put("type", type).set(type, ref);
    return ref;
  }

  private static ObjectNode mediaRef(MediaSource media, Map<MediaSource, String> uploaded) {
    ObjectNode o = F.objectNode();
    if (media instanceof MediaSource.Url u) {
      o.put("link", u.uri().toString());
    } else if (media instanceof MediaSource.Uploaded up) {
      o.put("id", up.mediaId());
    } else if (media instanceof MediaSource.Stored) {
      throw new EngineSendException(Failure.of(FailureType.PERMANENT, "media_not_resolved",
          "stored media reach the engine only as bytes (the gateway reads them from its media store)"));
    } else {
      String id = uploaded.get(media);
      if (id == null) {
        throw new IllegalStateException("media bytes were not uploaded before the send");
      }
      o.put("id", id);
    }
    return o;
  }

  private static ObjectNode caption(ObjectNode media, @Nullable String caption) {
    putOpt(media, "caption", caption);
    return media;
  }

  private static ObjectNode interactive(ObjectNode n, String type, @Nullable String header, String body,
      @Nullable String footer) {
    ObjectNode i = n.put("type", "interactive").putObject("interactive").put("type", type);
    if (header != null) {
      i.putObject("header").put("type", "text").put("text", header);
    }
    i.putObject("body").put("text", body);
    if (footer != null) {
      i.putObject("footer").put("text", footer);
    }
    return i;
  }

  private static void template(ObjectNode n, MessageContent.Template t, Map<MediaSource, String> uploaded) {
    ObjectNode o = n.put("type", "template").putObject("template").put("name", t.name());
    o.putObject("language").put("code", t.language());
    if (t.components().isEmpty()) {
      return;
    }
    ArrayNode comps = o.putArray("components");
    for (MessageContent.TemplateComponent tc : t.components()) {
      ObjectNode co = comps.addObject().put("type", tc.type());
      if (tc.subType() != null) {
        co.put("sub_type", tc.subType()).put("index", String.valueOf(tc.index()));
      }
      ArrayNode ps = co.putArray("parameters");
      for (TemplateParameter p : tc.parameters()) {
        ObjectNode po = ps.addObject();
        if (p instanceof TemplateParameter.Text x) {
          po.put("type", "text").put("text", x.text());
          putOpt(po, "parameter_name", x.name());
        } else if (p instanceof TemplateParameter.Payload x) {
          po.put("type", "payload").put("payload", x.payload());
        } else if (p instanceof TemplateParameter.Currency x) {
          po.put("type", "currency").putObject("currency").put("fallback_value", x.fallback()).put("code", x.code())
              .put("amount_1000", x.amount1000());
        } else if (p instanceof TemplateParameter.DateTime x) {
          po.put("type", "date_time").putObject("date_time").put("fallback_value", x.fallback());
        } else if (p instanceof TemplateParameter.Media x) {
          String type = x.kind().name().toLowerCase(Locale.ROOT);
          ObjectNode ref = mediaRef(x.media(), uploaded);
          putOpt(ref, "filename", x.fileName());
          po.put("type", type).set(type, ref);
        } else if (p instanceof TemplateParameter.CouponCode x) {
          po.put("type", "coupon_code").put("coupon_code", x.code());
        }
      }
    }
  }

  private static void putOpt(ObjectNode n, String key, @Nullable String value) {
    if (value != null) {
      n.put(key, value);
    }
  }
}
