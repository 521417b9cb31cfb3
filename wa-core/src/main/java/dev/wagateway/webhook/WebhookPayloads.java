package dev.wagateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.ContentJson;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The webhook body of every event, schema version {@value #VERSION}:
 * {@code {"id","type","timestamp","session","data":{…},"version"}}. Built field by field so that the
 * schema is what docs/webhooks.md says, not whatever a record happens to hold. JIDs appear in full
 * (receivers need the number); credentials never appear.
 */
public final class WebhookPayloads {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private WebhookPayloads() {}

  public static byte[] toJson(GatewayEvent e) {
    return toJson(e, null);
  }

  /** With {@code links}, stored media in the payload carry a signed {@code url}. */
  public static byte[] toJson(GatewayEvent e, dev.wagateway.media.@Nullable MediaLinks links) {
    try {
      return MAPPER.writeValueAsBytes(toTree(e, links));
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException("serialising " + e.type() + " failed", ex);
    }
  }

  public static ObjectNode toTree(GatewayEvent e) {
    return toTree(e, null);
  }

  public static ObjectNode toTree(GatewayEvent e, dev.wagateway.media.@Nullable MediaLinks links) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", e.id());
    root.put("type", e.type());
    root.put("timestamp", e.timestamp().toString());
    root.put("session", e.sessionId());
    root.set("data", data(e, links));
    root.put("version", VERSION);
    return root;
  }

  private static ObjectNode data(GatewayEvent e, dev.wagateway.media.@Nullable MediaLinks links) {
    ObjectNode d = MAPPER.createObjectNode();
    if (e instanceof GatewayEvent.SessionStateChanged s) {
      d.put("from", s.from().name()).put("to", s.to().name()).put("reason", s.reason());
    } else if (e instanceof GatewayEvent.QrCodeIssued q) {
      d.put("code", q.code()).put("expiresAt", q.expiresAt().toString());
    } else if (e instanceof GatewayEvent.PairingCodeIssued p) {
      d.put("code", p.code()).put("expiresAt", p.expiresAt().toString());
    } else if (e instanceof GatewayEvent.SessionPaired p) {
      d.put("self", p.self().asString());
    } else if (e instanceof GatewayEvent.ReconnectScheduled r) {
      d.put("attempt", r.attempt()).put("delayMs", r.delay().toMillis()).put("cause", r.cause());
    } else if (e instanceof GatewayEvent.MessageStatusChanged m) {
      d.put("messageId", m.messageId()).put("to", m.to().asString()).put("contentType", m.contentType())
          .put("status", m.status().name()).put("attempt", m.attempt())
          .put("acceptedAt", m.acceptedAt().toString());
      failure(d, m.failure());
    } else if (e instanceof GatewayEvent.MessageReceived r) {
      var msg = r.message();
      d.put("messageId", msg.id()).put("chat", msg.chat().asString()).put("from", msg.sender().asString())
          .put("sentAt", msg.timestamp().toString());
      if (msg.replyTo() != null) {
        d.put("replyTo", msg.replyTo());
      }
      if (msg.senderProfile() != null) {
        ObjectNode p = d.putObject("senderProfile");
        var sp = msg.senderProfile();
        p.put("name", sp.name()).put("username", sp.username())
            .put("userId", sp.userId() == null ? null : sp.userId().user());
      }
      d.set("content", content(msg.content(), links, e.sessionId()));
    } else if (e instanceof GatewayEvent.ReactionReceived r) {
      d.put("chat", r.chat().asString()).put("from", r.sender().asString())
          .put("messageId", r.targetMessageId()).put("emoji", r.emoji());
    } else if (e instanceof GatewayEvent.MessageEdited m) {
      d.put("chat", m.chat().asString()).put("from", m.sender().asString())
          .put("messageId", m.targetMessageId());
      d.set("content", content(m.content(), links, e.sessionId()));
    } else if (e instanceof GatewayEvent.MessageRevoked m) {
      d.put("chat", m.chat().asString()).put("from", m.sender().asString())
          .put("messageId", m.targetMessageId());
    } else if (e instanceof GatewayEvent.PresenceUpdated p) {
      d.put("jid", p.jid().asString()).put("presence", p.presence());
    } else if (e instanceof GatewayEvent.GroupUpdated g) {
      d.put("group", g.group().asString()).put("action", g.action());
      d.set("participants", jids(g.participants()));
      if (g.actor() != null) {
        d.put("actor", g.actor().asString());
      }
    } else if (e instanceof GatewayEvent.CallOffered c) {
      d.put("callId", c.callId()).put("from", c.from().asString()).put("video", c.video());
    } else if (e instanceof GatewayEvent.IdentityChanged i) {
      d.put("contact", i.contact().asString());
    } else if (e instanceof GatewayEvent.SendingPaused p) {
      d.put("until", p.until().toString()).put("reason", p.reason());
    } else if (e instanceof GatewayEvent.WebhookEndpointDisabled w) {
      d.put("subscriptionId", w.subscriptionId()).put("reason", w.reason());
    } else if (e instanceof GatewayEvent.AlertFiring a) {
      d.put("rule", a.rule()).put("severity", a.severity()).put("summary", a.summary()).put("value", a.value())
          .put("threshold", a.threshold()).put("test", a.test());
    } else if (e instanceof GatewayEvent.AlertResolved a) {
      d.put("rule", a.rule()).put("severity", a.severity())
          .put("firingSince", a.firingSince() == null ? null : a.firingSince().toString());
    }
    // session.created, session.deleted and queue.resumed carry no data beyond the envelope.
    return d;
  }

  private static void failure(ObjectNode d, @Nullable Failure f) {
    if (f != null) {
      ObjectNode n = d.putObject("failure");
      n.put("type", f.type().name()).put("code", f.code()).put("detail", f.detail());
      if (f.retryAfter() != null) {
        n.put("retryAfterMs", f.retryAfter().toMillis());
      }
    }
  }

  private static ArrayNode jids(List<Jid> list) {
    ArrayNode a = MAPPER.createArrayNode();
    list.forEach(j -> a.add(j.asString()));
    return a;
  }

  static ObjectNode content(MessageContent c, dev.wagateway.media.@Nullable MediaLinks links, String sessionId) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", c.type());
    if (c instanceof MessageContent.Text t) {
      n.put("body", t.body());
    } else if (c instanceof MessageContent.Image i) {
      media(n, i.media(), links, sessionId).put("caption", i.caption());
    } else if (c instanceof MessageContent.Video v) {
      media(n, v.media(), links, sessionId).put("caption", v.caption());
    } else if (c instanceof MessageContent.Audio a) {
      media(n, a.media(), links, sessionId).put("voiceNote", a.voiceNote());
    } else if (c instanceof MessageContent.Document doc) {
      media(n, doc.media(), links, sessionId).put("fileName", doc.fileName()).put("caption", doc.caption());
    } else if (c instanceof MessageContent.Sticker s) {
      media(n, s.media(), links, sessionId).put("animated", s.animated());
    } else if (c instanceof MessageContent.Location l) {
      n.put("latitude", l.latitude()).put("longitude", l.longitude()).put("name", l.name())
          .put("address", l.address());
    } else if (c instanceof MessageContent.Contact ct) {
      n.put("displayName", ct.displayName());
      ArrayNode phones = n.putArray("phoneNumbers");
      ct.phoneNumbers().forEach(p -> phones.add("+" + p));
    } else if (c instanceof MessageContent.Reaction r) {
      n.put("messageId", r.targetMessageId()).put("emoji", r.emoji());
    } else if (ContentJson.handles(c.type())) {
      n.set(c.type(), ContentJson.write(c));
    }
    return n;
  }

  private static ObjectNode media(ObjectNode n, MediaSource m, dev.wagateway.media.@Nullable MediaLinks links,
      String sessionId) {
    n.setAll(ContentJson.media(m, false));
    if (links != null && m instanceof MediaSource.Stored st) {
      String url = links.linkFor(st, sessionId);
      if (url != null) {
        n.put("url", url);
      }
    }
    return n;
  }
}
