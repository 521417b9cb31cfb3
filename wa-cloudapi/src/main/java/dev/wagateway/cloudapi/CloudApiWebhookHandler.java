package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta's webhook, with no web framework attached: give it the method, query, headers and raw body
 * of a request and send back the {@link Response}. GET is the verification handshake; POST must
 * carry {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body with the app secret) and is
 * refused before anything is read when it does not match.
 *
 * <p>Each message and status is handed to the session of its phone number, then remembered in
 * {@link dev.wagateway.store.SeenIds} so that Meta's redeliveries are dropped. A POST is answered
 * 200 only when every item was taken; if a session was not connected or the gateway refused an
 * item, the answer is 503 and Meta delivers the whole post again later, when the items already
 * taken are recognised and skipped.
 */
public final class CloudApiWebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(CloudApiWebhookHandler.class);

  private final CloudApiEngine engine;

  CloudApiWebhookHandler(CloudApiEngine engine) {
    this.engine = engine;
  }

  /** A request as any HTTP server sees it; header names are matched without regard to case. */
  public record Request(String method, @Nullable String rawQuery, Map<String, String> headers, byte[] body) {
    public Request {
      Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(headers);
      headers = h;
      body = body == null ? new byte[0] : body;
    }

    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }
  }

  /** What to answer. */
  public record Response(int status, String contentType, String body) {
    static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body);
    }
  }

  /** The largest body accepted; read at most one byte more than this from the request. */
  public int maxBodyBytes() {
    return engine.config().maxWebhookBodyBytes();
  }

  public Response handle(Request r) {
    return switch (r.method().toUpperCase(Locale.ROOT)) {
      case "GET" -> verify(r);
      case "POST" -> post(r);
      default -> Response.text(405, "use GET (verification) or POST (notifications)");
    };
  }

  // ---- GET: the verification handshake ----

  private Response verify(Request r) {
    Map<String, String> q = query(r.rawQuery());
    String token = engine.config().verifyToken();
    String challenge = q.get("hub.challenge");
    if (!"subscribe".equals(q.get("hub.mode")) || challenge == null || challenge.isEmpty() || challenge.length() > 256) {
      return Response.text(400, "expected hub.mode=subscribe, hub.verify_token and hub.challenge");
    }
    if (token == null || !constantTimeEquals(token, q.getOrDefault("hub.verify_token", ""))) {
      log.warn("refused a Cloud API webhook verification with a wrong verify token");
      return Response.text(403, "wrong verify token");
    }
    return Response.text(200, challenge);
  }

  // ---- POST: signed notifications ----

  private Response post(Request r) {
    String secret = engine.config().appSecret();
    if (secret == null) {
      log.error("a Cloud API webhook post was refused: no app secret is configured (cloudapi.appSecret)");
      return Response.text(503, "no app secret configured");
    }
    if (r.body().length > engine.config().maxWebhookBodyBytes()) {
      return Response.text(413, "body larger than " + engine.config().maxWebhookBodyBytes() + " bytes");
    }
    Optional<String> sig = r.header("X-Hub-Signature-256");
    if (sig.isEmpty()) {
      log.warn("refused a Cloud API webhook post without X-Hub-Signature-256");
      return Response.text(401, "X-Hub-Signature-256 is missing");
    }
    if (!signatureMatches(secret, sig.get(), r.body())) {
      log.warn("refused a Cloud API webhook post whose signature does not match");
      return Response.text(403, "X-Hub-Signature-256 does not match the body");
    }
    JsonNode root;
    try {
      root = GraphClient.JSON.readTree(r.body());
    } catch (IOException e) {
      return Response.text(400, "the body is not JSON");
    }
    if (root == null || !root.isObject() || !root.path("entry").isArray()) {
      return Response.text(400, "expected an object with an entry array");
    }
    if (!"whatsapp_business_account".equals(root.path("object").asText())) {
      log.info("ignored a webhook post for object '{}'", root.path("object").asText("").replaceAll("[^a-z_]", "?"));
      return Response.text(200, "ignored");
    }
    Outcome out = new Outcome();
    for (JsonNode entry : root.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        if ("messages".equals(change.path("field").asText())) {
          change(change.path("value"), out);
        }
      }
    }
    if (out.retryLater) {
      return Response.text(503, "some notifications could not be taken now; " + out.taken + " taken, "
          + out.skipped + " seen before");
    }
    return Response.text(200, out.taken + " taken, " + out.skipped + " seen before");
  }

  private static final class Outcome {
    int taken;
    int skipped;
    boolean retryLater;
  }

  private void change(JsonNode value, Outcome out) {
    String phoneNumberId = value.path("metadata").path("phone_number_id").asText("");
    Optional<String> sessionId = engine.config().sessionOf(phoneNumberId);
    if (sessionId.isEmpty()) {
      log.warn("a Cloud API notification for phone number id {} that no session sends from was dropped",
          phoneNumberId.replaceAll("[^0-9]", ""));
      return;
    }
    Instant now = engine.now();
    List<WebhookParser.Item> items = WebhookParser.parse(value, sessionId.get(), engine.config(), now);
    // Statuses are facts about messages already sent: the session's last connection takes them even
    // while it reconnects. Inbound messages need a connected session.
    CloudApiConnection live = engine.connection(phoneNumberId).filter(CloudApiConnection::isConnected).orElse(null);
    CloudApiConnection last = live != null ? live : engine.lastConnection(phoneNumberId).orElse(null);
    java.util.Set<String> inThisPost = new java.util.HashSet<>();
    int waiting = 0;
    for (WebhookParser.Item it : items) {
      boolean seenBefore;
      try {
        seenBefore = !inThisPost.add(it.key()) || engine.seen().contains(it.key(), now);
      } catch (RuntimeException e) {
        // the seen-id store is down: take nothing now rather than risk taking it twice; Meta retries
        log.warn("the seen-id store failed ({}); Cloud API notifications wait for Meta's redelivery",
            e.getClass().getSimpleName());
        out.retryLater = true;
        continue;
      }
      if (seenBefore) {
        out.skipped++;
        continue;
      }
      CloudApiConnection target = it instanceof WebhookParser.StatusItem ? last : live;
      if (target == null) {
        waiting++;
        out.retryLater = true;
        continue;
      }
      try {
        target.deliver(it);
      } catch (RuntimeException e) {
        log.warn("session {} could not take a Cloud API notification ({}); Meta will deliver it again",
            sessionId.get(), e.getClass().getSimpleName());
        out.retryLater = true;
        continue;
      }
      out.taken++;
      try {
        engine.seen().remember(it.key(), now.plus(engine.config().seenIdTtl()));
      } catch (RuntimeException e) {
        // taken but not remembered: a redelivery would bring it once more, with the same id
        log.warn("remembering a Cloud API notification failed ({}); a redelivery may repeat it",
            e.getClass().getSimpleName());
      }
    }
    if (waiting > 0) {
      log.info("session {} is not connected: {} Cloud API notifications wait for Meta's redelivery", sessionId.get(),
          waiting);
    }
  }

  // ---- helpers ----

  static boolean signatureMatches(String secret, String header, byte[] body) {
    String h = header.strip();
    if (!h.regionMatches(true, 0, "sha256=", 0, 7)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(h.substring(7).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, body), given);
  }

  static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The query parameters of {@code rawQuery}, decoded; the first value of a repeated name wins. */
  static Map<String, String> query(@Nullable String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty() || rawQuery.length() > 4096) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        // a malformed escape: the parameter is ignored
      }
    }
    return out;
  }
}
