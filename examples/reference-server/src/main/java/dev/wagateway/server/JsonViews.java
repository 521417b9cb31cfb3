package dev.wagateway.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.message.Failure;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.webhook.DeliveryAttempt;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookSubscription;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The API's JSON shapes, built field by field so that nothing is exposed by accident: no secret
 * (except a new subscription's, once), no header value, no credential. The caller's own recipients
 * and message ids are shown; the API is authenticated and scoped.
 */
final class JsonViews {
  private final ObjectMapper json;

  ObjectMapper json() {
    return json;
  }

  JsonViews(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode object() {
    return json.createObjectNode();
  }

  ArrayNode array() {
    return json.createArrayNode();
  }

  static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  ObjectNode session(SessionInfo s) {
    ObjectNode n = object();
    n.put("id", s.id());
    n.put("state", s.state().name());
    n.put("reason", s.reason());
    n.put("self", s.self() == null ? null : s.self().asString());
    n.put("pairing", s.pairing() instanceof PairingMethod.PhoneCode ? "code" : "qr");
    n.put("createdAt", time(s.createdAt()));
    n.put("stateSince", time(s.stateSince()));
    n.put("lastActivity", time(s.lastActivity()));
    n.put("reconnectAttempt", s.reconnectAttempt());
    n.put("disconnectedSince", time(s.disconnectedSince()));
    return n;
  }

  ObjectNode accepted(OutboundMessage m) {
    ObjectNode n = object();
    n.put("id", m.id());
    n.put("session", m.sessionId());
    n.put("to", m.to().asString());
    n.put("type", m.content().type());
    n.put("status", "QUEUED");
    n.put("acceptedAt", time(m.createdAt()));
    n.put("idempotencyKey", m.idempotencyKey());
    n.put("notBefore", time(m.notBefore()));
    n.put("expiresAt", time(m.expiresAt()));
    n.put("priority", m.priority().name());
    return n;
  }

  ObjectNode message(MessageInfo i) {
    ObjectNode n = accepted(i.message());
    n.put("status", i.status().name());
    n.put("attempts", i.attempts());
    n.put("availableAt", time(i.availableAt()));
    n.put("providerMessageId", i.providerMessageId());
    n.set("lastFailure", failure(i.lastFailure()));
    ArrayNode h = n.putArray("history");
    for (StatusLog.Change c : i.history()) {
      ObjectNode e = h.addObject();
      e.put("status", c.status().name());
      e.put("at", time(c.at()));
      e.put("cause", c.cause());
      e.set("failure", failure(c.failure()));
    }
    return n;
  }

  @Nullable ObjectNode failure(@Nullable Failure f) {
    if (f == null) {
      return null;
    }
    ObjectNode n = object();
    n.put("type", f.type().name());
    n.put("code", f.code());
    n.put("detail", f.detail());
    n.put("retryAfterSeconds", f.retryAfter() == null ? null : f.retryAfter().toSeconds());
    return n;
  }

  /** A subscription; {@code withSecret} only in the answer to its creation. */
  ObjectNode subscription(WebhookSubscription s, boolean withSecret) {
    ObjectNode n = object();
    n.put("id", s.id());
    n.put("url", s.url().toString());
    n.put("session", s.sessionId());
    ArrayNode types = n.putArray("eventTypes");
    s.eventTypes().stream().sorted().forEach(types::add);
    n.put("enabled", s.enabled());
    n.put("disabledReason", s.disabledReason());
    n.put("signatureMode", s.signatureMode() == dev.wagateway.webhook.SignatureMode.STANDARD ? "standard" : "hub");
    n.put("ordered", s.ordered());
    n.put("maxConcurrency", s.maxConcurrency());
    n.put("createdAt", time(s.createdAt()));
    ArrayNode headers = n.putArray("headers");
    s.headers().keySet().stream().sorted().forEach(headers::add); // names only
    if (withSecret) {
      n.put("secret", s.secrets().get(0).encoded());
    }
    return n;
  }

  ObjectNode statistics(dev.wagateway.stats.MessageStatistics.Snapshot st) {
    ObjectNode n = object();
    n.put("session", st.session());
    n.put("windowSeconds", st.window().toSeconds());
    n.put("sent", st.sent());
    n.put("delivered", st.delivered());
    n.put("read", st.read());
    n.put("deadLettered", st.deadLettered());
    n.put("failedAttempts", st.failedAttempts());
    n.put("deliveryRate", st.deliveryRate());
    n.put("readRate", st.readRate());
    n.put("medianToDeliveredMs", st.medianToDelivered() == null ? null : st.medianToDelivered().toMillis());
    n.put("medianToReadMs", st.medianToRead() == null ? null : st.medianToRead().toMillis());
    return n;
  }

  ObjectNode delivery(WebhookDelivery d) {
    ObjectNode n = object();
    n.put("id", d.id());
    n.put("subscriptionId", d.subscriptionId());
    n.put("eventId", d.eventId());
    n.put("eventType", d.eventType());
    n.put("session", d.sessionId());
    n.put("status", d.status().name());
    n.put("attempts", d.attempts());
    n.put("createdAt", time(d.createdAt()));
    n.put("nextAttemptAt", time(d.nextAttemptAt()));
    ArrayNode log = n.putArray("log");
    for (DeliveryAttempt a : d.log()) {
      ObjectNode e = log.addObject();
      e.put("at", time(a.at()));
      e.put("statusCode", a.statusCode());
      e.put("latencyMs", a.latency().toMillis());
      e.put("outcome", a.outcome().tag());
      e.put("error", a.error());
      e.put("responseExcerpt", a.responseExcerpt());
    }
    return n;
  }
}
