package dev.wagateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.DeadLetterFilter;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.webhook.DeliveryFilter;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookRequest;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhook.WebhookSubscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The REST API under /api: sessions, pairing, messages, dead letters, webhooks, status, and (for
 * the simulated engine, when enabled) the dev endpoints. Every handler checks the key's scope: a
 * session key sees only its own session's data; admin-only operations say so with 403.
 */
final class Api {
  private final WaGateway gateway;
  private final JsonViews views;
  private final PairingState pairing;
  private final WebhookDeliverer deliverer;
  private final @Nullable SimulatedNetwork network;
  private final Clock clock;

  Api(WaGateway gateway, JsonViews views, PairingState pairing, WebhookDeliverer deliverer,
      @Nullable SimulatedNetwork network, Clock clock) {
    this.gateway = gateway;
    this.views = views;
    this.pairing = pairing;
    this.deliverer = deliverer;
    this.network = network;
    this.clock = clock;
  }

  Router routes(Router r) {
    r.add("GET", "/api/status", this::status);
    r.add("GET", "/api/stats", this::stats);
    r.add("GET", "/api/alerts", this::alerts);
    r.add("POST", "/api/alerts/ack", this::ackAlert);
    r.add("POST", "/api/alerts/silences", this::silence);
    r.add("DELETE", "/api/alerts/silences/{id}", this::unsilence);
    r.add("POST", "/api/alerts/test", this::testAlert);
    r.add("GET", "/api/sessions", this::listSessions);
    r.add("POST", "/api/sessions", this::createSession);
    r.add("POST", "/api/sessions/export", this::exportSessions);
    r.add("POST", "/api/sessions/import", this::importSessions);
    r.add("GET", "/api/sessions/{id}", x -> Response.ok(views.session(require(x.session()))));
    r.add("DELETE", "/api/sessions/{id}", this::deleteSession);
    r.add("POST", "/api/sessions/{id}/start", x -> Response.ok(views.session(gateway.sessions().start(x.session()))));
    r.add("POST", "/api/sessions/{id}/stop", x -> Response.ok(views.session(gateway.sessions().stop(x.session()))));
    r.add("POST", "/api/sessions/{id}/logout", x -> Response.ok(views.session(gateway.sessions().logout(x.session()))));
    r.add("GET", "/api/sessions/{id}/qr", this::qr);
    r.add("GET", "/api/sessions/{id}/qr.png", this::qrPng);
    r.add("GET", "/api/sessions/{id}/pairing-code", this::pairingCode);
    r.add("POST", "/api/sessions/{id}/messages", this::send);
    r.add("POST", "/api/sessions/{id}/read", this::markRead);
    r.add("GET", "/api/messages/{id}", x -> Response.ok(views.message(ownMessage(x, x.var("id")))));
    r.add("POST", "/api/messages/{id}/cancel", this::cancel);
    r.add("GET", "/api/dead-letters", this::listDeadLetters);
    r.add("DELETE", "/api/dead-letters", this::purgeDeadLetters);
    r.add("POST", "/api/dead-letters/replay", this::replayDeadLetters);
    r.add("GET", "/api/dead-letters/{id}", x -> Response.ok(views.message(ownDeadLetter(x))));
    r.add("POST", "/api/dead-letters/{id}/replay", this::replayDeadLetter);
    r.add("GET", "/api/webhooks", this::listWebhooks);
    r.add("POST", "/api/webhooks", this::createWebhook);
    r.add("GET", "/api/webhooks/{id}", x -> Response.ok(views.subscription(ownSubscription(x), false)));
    r.add("PUT", "/api/webhooks/{id}", this::updateWebhook);
    r.add("DELETE", "/api/webhooks/{id}", this::deleteWebhook);
    r.add("POST", "/api/webhooks/{id}/enable", x -> Response.ok(views.subscription(
        gateway.webhooks().enable(ownSubscription(x).id()), false)));
    r.add("POST", "/api/webhooks/{id}/disable", x -> Response.ok(views.subscription(
        gateway.webhooks().disable(ownSubscription(x).id()), false)));
    r.add("GET", "/api/webhooks/{id}/deliveries", this::deliveries);
    r.add("POST", "/api/webhooks/{id}/redeliver", this::redeliverFailed);
    r.add("POST", "/api/webhooks/{id}/test", this::testWebhook);
    r.add("POST", "/api/webhook-deliveries/{id}/redeliver", this::redeliver);
    if (network != null) {
      r.add("POST", "/api/dev/sessions/{id}/scan", this::devScan);
      r.add("POST", "/api/dev/sessions/{id}/faults", this::devFaults);
    }
    return r;
  }

  // ---- sessions ----

  private SessionInfo require(String id) {
    return gateway.sessions().get(id).orElseThrow(() -> ApiException.notFound("no session '" + id + "'"));
  }

  private Response status(Request x) {
    ObjectNode n = views.object();
    ArrayNode sessions = n.putArray("sessions");
    Map<String, QueueCounts> queues = gateway.queueStats().bySession();
    for (SessionInfo s : visibleSessions(x)) {
      ObjectNode o = views.session(s);
      QueueCounts q = queues.getOrDefault(s.id(), QueueCounts.ZERO);
      o.put("waiting", q.waiting());
      o.put("active", q.active());
      o.put("deadLettered", q.deadLettered());
      PairingState.Code qr = pairing.qr(s.id());
      o.put("qr", qr == null ? null : qr.value());
      sessions.add(o);
    }
    if (x.principal.admin()) {
      ObjectNode w = n.putObject("webhooks");
      w.put("subscriptions", gateway.webhooks().list().size());
      w.put("disabled", gateway.webhookStats().disabledEndpoints());
      ObjectNode byStatus = w.putObject("deliveries");
      gateway.webhookStats().deliveries().forEach((k, v) -> byStatus.put(k.name(), v));
      n.put("pausedSessions", gateway.queueStats().pausedSessions().size());
    }
    n.put("running", gateway.isRunning());
    n.put("engine", gateway.engine().name());
    n.put("time", Instant.now(clock).toString());
    return Response.ok(n);
  }

  /** Business statistics for the last hour and day: overall (admins) and per visible session. */
  private Response stats(Request x) {
    String asked = x.query.get("session");
    String only = x.principal.scopedSession(asked == null || asked.isEmpty() ? null : asked);
    ObjectNode n = views.object();
    for (Map.Entry<String, Duration> w : Map.of("lastHour", Duration.ofHours(1), "lastDay", Duration.ofDays(1))
        .entrySet()) {
      ObjectNode win = n.putObject(w.getKey());
      if (only == null) { // all sessions: an admin's view
        win.set("overall", views.statistics(gateway.statistics().snapshot(w.getValue(), null)));
      }
      ArrayNode per = win.putArray("sessions");
      for (SessionInfo s : visibleSessions(x)) {
        if (only == null || only.equals(s.id())) {
          per.add(views.statistics(gateway.statistics().snapshot(w.getValue(), s.id())));
        }
      }
    }
    return Response.ok(n);
  }

  // ---- built-in alerting ----

  private static void adminOnly(Request x) {
    adminOnly(x, "acknowledging, silencing and test alerts");
  }

  private static void adminOnly(Request x, String what) {
    if (!x.principal.admin()) {
      throw ApiException.forbidden(what + " need an admin key");
    }
  }

  /** Rules, active alerts and silences; a session key sees its session's alerts only. */
  private Response alerts(Request x) {
    ObjectNode n = views.object();
    ArrayNode rules = n.putArray("rules");
    for (dev.wagateway.alerting.AlertRule r : gateway.alerts().rules()) {
      rules.addObject().put("name", r.name()).put("severity", r.severity().tag()).put("summary", r.summary())
          .put("threshold", r.threshold()).put("forSeconds", r.forDuration().toSeconds())
          .put("cooldownSeconds", r.cooldown().toSeconds());
    }
    ArrayNode active = n.putArray("active");
    for (dev.wagateway.alerting.Alert a : gateway.alerts().active()) {
      if (x.principal.admin() || x.principal.sessionId().equals(a.session())) {
        active.addObject().put("rule", a.rule()).put("severity", a.severity().tag()).put("session", a.session())
            .put("state", a.state().name()).put("value", a.value()).put("threshold", a.threshold())
            .put("since", JsonViews.time(a.since())).put("firingSince", JsonViews.time(a.firingSince()))
            .put("acknowledged", a.acknowledged()).put("silencedBy", a.silencedBy())
            .put("lastNotified", JsonViews.time(a.lastNotified()));
      }
    }
    ArrayNode silences = n.putArray("silences");
    if (x.principal.admin()) {
      gateway.alerts().silences().forEach(sl -> silences.add(silence(sl)));
    }
    return Response.ok(n);
  }

  private ObjectNode silence(dev.wagateway.alerting.Silence sl) {
    return views.object().put("id", sl.id()).put("rule", sl.rule()).put("session", sl.session())
        .put("until", sl.until().toString()).put("reason", sl.reason()).put("createdAt", sl.createdAt().toString());
  }

  private Response ackAlert(Request x) throws Exception {
    adminOnly(x);
    ObjectNode b = x.body();
    allowOnly(b, Set.of("rule", "session"));
    String rule = MessageBodies.requireString(b, "rule");
    String session = MessageBodies.optString(b, "session");
    if (!gateway.alerts().acknowledge(rule, session == null ? "" : session)) {
      throw ApiException.notFound("no firing alert " + rule + (session == null ? "" : " for session '" + session + "'"));
    }
    return Response.ok(views.object().put("acknowledged", true));
  }

  private Response silence(Request x) throws Exception {
    adminOnly(x);
    ObjectNode b = x.body();
    allowOnly(b, Set.of("rule", "session", "until", "reason"));
    Instant until = MessageBodies.instant(b, "until");
    if (until == null) {
      throw ApiException.badRequest("until", "is required (an ISO-8601 instant)");
    }
    dev.wagateway.alerting.Silence sl = gateway.alerts().silence(MessageBodies.optString(b, "rule"),
        MessageBodies.optString(b, "session"), until, MessageBodies.requireString(b, "reason"));
    return Response.created(silence(sl), "/api/alerts/silences/" + sl.id());
  }

  private Response unsilence(Request x) {
    adminOnly(x);
    if (!gateway.alerts().unsilence(x.var("id"))) {
      throw ApiException.notFound("no silence '" + x.var("id") + "'");
    }
    return Response.noContent();
  }

  private Response testAlert(Request x) throws Exception {
    adminOnly(x);
    ObjectNode b = x.bodyOrEmpty();
    allowOnly(b, Set.of("reason"));
    String reason = MessageBodies.optString(b, "reason");
    gateway.alerts().testFire(reason == null ? "sent from the API" : reason);
    return Response.accepted(views.object().put("sent", true));
  }

  private List<SessionInfo> visibleSessions(Request x) {
    return gateway.sessions().list().stream().filter(s -> x.principal.mayUse(s.id())).toList();
  }

  private Response listSessions(Request x) {
    ArrayNode a = views.array();
    visibleSessions(x).forEach(s -> a.add(views.session(s)));
    return Response.ok(a);
  }

  private Response createSession(Request x) throws Exception {
    ObjectNode b = x.body();
    allowOnly(b, Set.of("id", "pairing", "phoneNumber", "autoStart"));
    String id = dev.wagateway.session.SessionId.validate("id", MessageBodies.requireString(b, "id"));
    if (!x.principal.mayUse(id)) {
      throw ApiException.forbidden("this API key may only create session '" + x.principal.sessionId() + "'");
    }
    String method = MessageBodies.optString(b, "pairing");
    PairingMethod p;
    if (method == null || method.equals("qr")) {
      p = PairingMethod.qr();
    } else if (method.equals("code")) {
      try {
        p = PairingMethod.phoneCode(MessageBodies.requireString(b, "phoneNumber"));
      } catch (dev.wagateway.ValidationException e) {
        throw ApiException.badRequest("phoneNumber", e.getMessage());
      }
    } else {
      throw ApiException.badRequest("pairing", "one of qr, code");
    }
    boolean autoStart = !b.has("autoStart") || MessageBodies.bool(b, "autoStart");
    SessionInfo s = gateway.sessions().create(id, SessionOptions.defaults().withPairing(p).withAutoStart(autoStart));
    return Response.created(views.session(s), "/api/sessions/" + s.id());
  }

  /** Sessions with their credentials, sealed under the caller's passphrase (docs/operations.md). */
  private Response exportSessions(Request x) throws Exception {
    adminOnly(x, "exports of sessions");
    ObjectNode b = x.body();
    allowOnly(b, Set.of("passphrase", "sessions"));
    char[] passphrase = MessageBodies.requireString(b, "passphrase").toCharArray();
    List<String> ids = new java.util.ArrayList<>();
    JsonNode list = b.get("sessions");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw ApiException.badRequest("sessions", "a list of session ids");
      }
      for (int i = 0; i < list.size(); i++) {
        if (!list.get(i).isTextual()) {
          throw ApiException.badRequest("sessions[" + i + "]", "a session id");
        }
        ids.add(list.get(i).asText());
      }
    }
    byte[] bundle = gateway.sessions().exportBundle(ids, passphrase);
    java.util.Arrays.fill(passphrase, '\0');
    return Response.bytes(bundle, "application/json");
  }

  /** Adds the sessions of an exported bundle; all or nothing. */
  private Response importSessions(Request x) throws Exception {
    adminOnly(x, "imports of sessions");
    ObjectNode b = x.body();
    allowOnly(b, Set.of("passphrase", "bundle"));
    char[] passphrase = MessageBodies.requireString(b, "passphrase").toCharArray();
    JsonNode bundle = b.get("bundle");
    if (bundle == null || !bundle.isObject()) {
      throw ApiException.badRequest("bundle", "the JSON object that POST /api/sessions/export returned");
    }
    List<SessionInfo> added = gateway.sessions().importBundle(
        bundle.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), passphrase);
    java.util.Arrays.fill(passphrase, '\0');
    ObjectNode n = views.object();
    com.fasterxml.jackson.databind.node.ArrayNode a = n.putArray("sessions");
    added.forEach(s -> a.add(views.session(s)));
    return Response.created(n, "/api/sessions");
  }

  private Response deleteSession(Request x) {
    String id = x.session();
    if (!gateway.sessions().delete(id)) {
      throw ApiException.notFound("no session '" + id + "'");
    }
    return Response.noContent();
  }

  private Response qr(Request x) {
    String id = x.session();
    require(id);
    PairingState.Code c = pairing.qr(id);
    if (c == null) {
      throw ApiException.notFound("session '" + id + "' shows no QR code now (state " + require(id).state() + ")");
    }
    ObjectNode n = views.object();
    n.put("code", c.value());
    n.put("issuedAt", JsonViews.time(c.issuedAt()));
    n.put("expiresAt", JsonViews.time(c.expiresAt()));
    if ("text".equals(x.query.get("format"))) {
      n.put("text", QrCodes.text(c.value()));
    }
    return Response.ok(n);
  }

  private Response qrPng(Request x) {
    String id = x.session();
    int size = x.intParam("size", 300, 100, 1000);
    require(id);
    PairingState.Code c = pairing.qr(id);
    if (c == null) {
      throw ApiException.notFound("session '" + id + "' shows no QR code now (state " + require(id).state() + ")");
    }
    return Response.bytes(QrCodes.png(c.value(), size), "image/png");
  }

  private Response pairingCode(Request x) {
    String id = x.session();
    require(id);
    PairingState.Code c = pairing.pairingCode(id);
    if (c == null) {
      throw ApiException.notFound("session '" + id + "' has no pairing code now: create it with pairing \"code\"");
    }
    ObjectNode n = views.object();
    n.put("code", c.value());
    n.put("expiresAt", JsonViews.time(c.expiresAt()));
    return Response.ok(n);
  }

  // ---- messages ----

  private Response send(Request x) throws Exception {
    String id = x.session();
    require(id);
    OutboundMessage m = gateway.send(MessageBodies.parse(id, x.body()));
    return Response.accepted(views.accepted(m));
  }

  /** {"chat": "+49...", "messageId": "wamid...", "typing": true}: blue ticks, optionally a typing indicator. */
  private Response markRead(Request x) throws Exception {
    String id = x.session();
    require(id);
    com.fasterxml.jackson.databind.node.ObjectNode b = x.body();
    for (java.util.Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!java.util.Set.of("chat", "messageId", "typing").contains(f)) {
        throw ApiException.badRequest(f, "unknown field; allowed: chat, messageId, typing");
      }
    }
    dev.wagateway.jid.Jid chat = dev.wagateway.jid.Jid.parse("chat", MessageBodies.requireString(b, "chat"));
    String messageId = MessageBodies.requireString(b, "messageId");
    boolean typing = MessageBodies.bool(b, "typing");
    try {
      gateway.markRead(id, chat, messageId, typing).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable t = e.getCause();
      if (t instanceof UnsupportedOperationException) {
        throw new ApiException(501, "Not implemented", "this engine cannot mark messages as read", null, null);
      }
      String why = t instanceof dev.wagateway.engine.EngineSendException ese
          ? ese.failure().type().tag() + " (" + ese.failure().code() + "): " + ese.failure().detail()
          : t.getClass().getSimpleName();
      throw new ApiException(502, "WhatsApp refused", "marking the message read failed: " + why, null, null);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ApiException(504, "No answer", "WhatsApp did not answer within 30 seconds", null, null);
    }
    return Response.ok(views.json().createObjectNode().put("read", true).put("typing", typing));
  }

  private MessageInfo ownMessage(Request x, String messageId) {
    MessageInfo i = gateway.message(messageId)
        .orElseThrow(() -> ApiException.notFound("no message '" + messageId + "' (unknown or past retention)"));
    if (!x.principal.mayUse(i.message().sessionId())) {
      // the same answer as for an unknown id: a session key learns nothing of other sessions
      throw ApiException.notFound("no message '" + messageId + "' (unknown or past retention)");
    }
    return i;
  }

  private Response cancel(Request x) {
    MessageInfo i = ownMessage(x, x.var("id"));
    if (!gateway.cancel(i.id())) {
      throw ApiException.conflict("message '" + i.id() + "' is " + i.status() + ": only waiting messages can be cancelled");
    }
    return Response.ok(views.message(gateway.message(i.id()).orElseThrow()));
  }

  // ---- dead letters ----

  private DeadLetterFilter deadLetterFilter(Request x) {
    String session = x.principal.scopedSession(x.query.get("session"));
    FailureType type = null;
    String t = x.query.get("failureType");
    if (t != null && !t.isEmpty()) {
      try {
        type = FailureType.valueOf(t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("failureType", "one of " + java.util.Arrays.toString(FailureType.values()));
      }
    }
    return new DeadLetterFilter(session == null || session.isEmpty() ? null : session, type,
        x.instantParam("since"), x.instantParam("until"), x.intParam("limit", DeadLetterFilter.DEFAULT_LIMIT, 1, 10_000));
  }

  private Response listDeadLetters(Request x) {
    ArrayNode a = views.array();
    gateway.deadLetters().list(deadLetterFilter(x)).forEach(m -> a.add(views.message(m)));
    return Response.ok(a);
  }

  private Response replayDeadLetters(Request x) {
    ObjectNode n = views.object();
    n.put("replayed", gateway.deadLetters().replayAll(deadLetterFilter(x)));
    return Response.ok(n);
  }

  private Response purgeDeadLetters(Request x) {
    ObjectNode n = views.object();
    n.put("purged", gateway.deadLetters().purge(deadLetterFilter(x)));
    return Response.ok(n);
  }

  private MessageInfo ownDeadLetter(Request x) {
    String id = x.var("id");
    MessageInfo i = gateway.deadLetters().get(id).orElseThrow(() -> ApiException.notFound("no dead letter '" + id + "'"));
    if (!x.principal.mayUse(i.message().sessionId())) {
      throw ApiException.notFound("no dead letter '" + id + "'");
    }
    return i;
  }

  private Response replayDeadLetter(Request x) {
    MessageInfo i = ownDeadLetter(x);
    if (!gateway.deadLetters().replay(i.id())) {
      throw ApiException.conflict("dead letter '" + i.id() + "' could not be replayed");
    }
    return Response.accepted(views.message(gateway.message(i.id()).orElse(i)));
  }

  // ---- webhooks ----

  private WebhookSubscription ownSubscription(Request x) {
    String id = x.var("id");
    WebhookSubscription s = gateway.webhooks().get(id).orElseThrow(() -> ApiException.notFound("no webhook '" + id + "'"));
    if (!x.principal.owns(s.sessionId())) {
      throw ApiException.notFound("no webhook '" + id + "'");
    }
    return s;
  }

  private Response listWebhooks(Request x) {
    ArrayNode a = views.array();
    gateway.webhooks().list().stream()
        .filter(s -> x.principal.owns(s.sessionId()))
        .forEach(s -> a.add(views.subscription(s, false)));
    return Response.ok(a);
  }

  private SubscriptionRequest subscriptionRequest(Request x, ObjectNode b) {
    allowOnly(b, Set.of("url", "session", "eventTypes", "secret", "headers", "signatureMode", "ordered", "maxConcurrency"));
    SubscriptionRequest.Builder r = SubscriptionRequest.builder(MessageBodies.requireString(b, "url"));
    // a session key's webhooks see only its session
    String session = x.principal.scopedSession(MessageBodies.optString(b, "session"));
    if (session != null) {
      require(session);
    }
    r.session(session);
    JsonNode types = b.get("eventTypes");
    if (types != null && !types.isNull()) {
      if (!types.isArray()) {
        throw ApiException.badRequest("eventTypes", "must be an array of event type names");
      }
      Set<String> t = new HashSet<>();
      for (int i = 0; i < types.size(); i++) {
        if (!types.get(i).isTextual()) {
          throw ApiException.badRequest("eventTypes[" + i + "]", "must be a string");
        }
        t.add(types.get(i).asText());
      }
      r.eventTypes(t);
    }
    String secret = MessageBodies.optString(b, "secret");
    if (secret != null) {
      r.secret(WebhookSecret.parse("secret", secret));
    }
    JsonNode headers = b.get("headers");
    if (headers != null && !headers.isNull()) {
      if (!headers.isObject()) {
        throw ApiException.badRequest("headers", "must be an object of header names to values");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> h = it.next();
        if (!h.getValue().isTextual()) {
          throw ApiException.badRequest("headers." + h.getKey(), "must be a string");
        }
        r.header(h.getKey(), h.getValue().asText());
      }
    }
    String mode = MessageBodies.optString(b, "signatureMode");
    if (mode != null) {
      r.signatureMode(SignatureMode.parse("signatureMode", mode));
    }
    r.ordered(MessageBodies.bool(b, "ordered"));
    JsonNode mc = b.get("maxConcurrency");
    if (mc != null && !mc.isNull()) {
      if (!mc.canConvertToInt() || !mc.isIntegralNumber()) {
        throw ApiException.badRequest("maxConcurrency", "must be a whole number");
      }
      r.maxConcurrency(mc.asInt());
    }
    return r.build();
  }

  private Response createWebhook(Request x) throws Exception {
    WebhookSubscription s = gateway.webhooks().create(subscriptionRequest(x, x.body()));
    return Response.created(views.subscription(s, true), "/api/webhooks/" + s.id());
  }

  private Response updateWebhook(Request x) throws Exception {
    WebhookSubscription existing = ownSubscription(x);
    ObjectNode b = x.body();
    SubscriptionRequest r = subscriptionRequest(x, b);
    if (!b.has("secret")) {
      // keep the secrets: an update without one must not rotate them
      r = new SubscriptionRequest(r.url(), r.sessionId(), r.eventTypes(), existing.secrets(), r.headers(),
          r.signatureMode(), r.ordered(), r.maxConcurrency());
    }
    return Response.ok(views.subscription(gateway.webhooks().update(existing.id(), r), false));
  }

  private Response deleteWebhook(Request x) {
    gateway.webhooks().delete(ownSubscription(x).id());
    return Response.noContent();
  }

  private Response deliveries(Request x) {
    WebhookSubscription s = ownSubscription(x);
    WebhookDelivery.Status status = null;
    String st = x.query.get("status");
    if (st != null && !st.isEmpty()) {
      try {
        status = WebhookDelivery.Status.valueOf(st.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("status", "one of " + java.util.Arrays.toString(WebhookDelivery.Status.values()));
      }
    }
    ArrayNode a = views.array();
    gateway.webhooks().deliveries(new DeliveryFilter(s.id(), status, x.instantParam("since"),
        x.intParam("limit", 100, 1, 10_000))).forEach(d -> a.add(views.delivery(d)));
    return Response.ok(a);
  }

  private Response redeliverFailed(Request x) {
    WebhookSubscription s = ownSubscription(x);
    Instant since = x.instantParam("since");
    ObjectNode n = views.object();
    n.put("redelivered", gateway.webhooks().redeliverFailed(s.id(), since == null ? Instant.EPOCH : since));
    return Response.accepted(n);
  }

  private Response redeliver(Request x) {
    String id = x.var("id");
    WebhookDelivery d = gateway.webhooks().delivery(id).orElseThrow(() -> ApiException.notFound("no delivery '" + id + "'"));
    WebhookSubscription s = gateway.webhooks().get(d.subscriptionId()).orElse(null);
    if (s == null || !x.principal.owns(s.sessionId())) {
      throw ApiException.notFound("no delivery '" + id + "'");
    }
    if (!gateway.webhooks().redeliver(id)) {
      throw ApiException.conflict("delivery '" + id + "' cannot be redelivered now (" + d.status() + ")");
    }
    return Response.accepted(views.delivery(gateway.webhooks().delivery(id).orElse(d)));
  }

  /**
   * Sends one signed {@code webhook.test} event to the endpoint now, outside the outbox, and answers
   * with what the endpoint said: a connectivity and signature check for the receiver's developers.
   */
  private Response testWebhook(Request x) throws Exception {
    WebhookSubscription s = ownSubscription(x);
    String eventId = "evt_test_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Instant now = Instant.now(clock);
    ObjectNode payload = views.object();
    payload.put("id", eventId);
    payload.put("type", "webhook.test");
    payload.put("timestamp", now.toString());
    payload.put("session", s.sessionId() == null ? "" : s.sessionId());
    payload.putObject("data").put("message", "a test event sent from the API; it is not in the outbox");
    payload.put("version", 1);
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    DeliveryResult r = deliverer.deliver(new WebhookRequest(s.url(), eventId, now, body, s.headers(), s.secrets(),
        s.signatureMode())).toCompletableFuture().get(30, TimeUnit.SECONDS);
    ObjectNode n = views.object();
    n.put("eventId", eventId);
    n.put("outcome", r.outcome().tag());
    n.put("statusCode", r.statusCode());
    n.put("latencyMs", r.latency().toMillis());
    n.put("error", r.error());
    n.put("responseExcerpt", r.responseExcerpt().length() > 512 ? r.responseExcerpt().substring(0, 512) : r.responseExcerpt());
    return Response.ok(n);
  }

  // ---- dev endpoints (simulated engine) ----

  private Response devScan(Request x) throws Exception {
    String id = x.session();
    require(id);
    ObjectNode b = x.body();
    allowOnly(b, Set.of("phoneNumber"));
    String phone = MessageBodies.requireString(b, "phoneNumber");
    String qr = network.currentQr(id);
    if (qr == null) {
      throw ApiException.conflict("session '" + id + "' shows no QR code now (state " + require(id).state() + ")");
    }
    network.scan(qr, phone);
    return Response.accepted(views.session(require(id)));
  }

  private Response devFaults(Request x) throws Exception {
    String id = x.session();
    require(id);
    ObjectNode b = x.body();
    allowOnly(b, Set.of("fault", "count", "seconds", "transientRatio", "permanentRatio"));
    String fault = MessageBodies.requireString(b, "fault");
    var f = network.faults(id);
    int count = b.has("count") ? positiveInt(b, "count") : 1;
    Duration seconds = Duration.ofSeconds(b.has("seconds") ? positiveInt(b, "seconds") : 30);
    switch (fault) {
      case "disconnect" -> f.disconnect();
      case "logout" -> f.logoutFromPhone();
      case "restrict" -> f.restrict();
      case "refuse_connects" -> f.refuseConnects(count);
      case "flap" -> f.flap(count, Duration.ofSeconds(1));
      case "rate_limit" -> f.rateLimit(count, seconds);
      case "drop_sends" -> f.dropSends(count);
      case "latency" -> f.latency(Duration.ofMillis(b.has("count") ? count : 500));
      case "fail_sends" -> f.failSends(ratio(b, "transientRatio"), ratio(b, "permanentRatio"), new java.util.Random());
      case "stall" -> f.stall();
      case "resume" -> f.resume();
      case "clear" -> f.clear();
      default -> throw ApiException.badRequest("fault", "one of disconnect, logout, restrict, refuse_connects, flap,"
          + " rate_limit, drop_sends, latency, fail_sends, stall, resume, clear");
    }
    ObjectNode n = views.object();
    n.put("session", id);
    n.put("fault", fault);
    return Response.accepted(n);
  }

  private static int positiveInt(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || !n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > 100_000) {
      throw ApiException.badRequest(field, "must be a whole number from 1 to 100000");
    }
    return n.asInt();
  }

  private static double ratio(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 1) {
      throw ApiException.badRequest(field, "must be a number from 0 to 1");
    }
    return n.asDouble();
  }

  static void allowOnly(ObjectNode b, Set<String> allowed) {
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiException.badRequest(f, "unknown field; allowed: " + new java.util.TreeSet<>(allowed));
      }
    }
  }
}
