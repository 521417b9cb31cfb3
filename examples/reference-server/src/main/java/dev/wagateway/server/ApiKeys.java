package dev.wagateway.server;

import dev.wagateway.ValidationException;
import dev.wagateway.session.SessionId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * API keys, kept only as SHA-256 hashes and compared in constant time. {@code WA_API_KEYS} is a
 * comma-separated list of {@code admin:<key>} (manages everything) and {@code session:<id>:<key>}
 * (sees and acts only on session {@code id}). A key is at least 16 characters. Nothing here prints a
 * key: entries show their scope and the first 8 hex digits of the hash.
 */
public final class ApiKeys {
  static final int MIN_KEY_LENGTH = 16;
  private final List<Entry> entries;

  /** Who a key belongs to: an admin ({@code sessionId} null) or one session. */
  public record Principal(String keyId, @Nullable String sessionId) {
    public boolean admin() {
      return sessionId == null;
    }

    /** True if this principal may act on {@code session}. */
    public boolean mayUse(String session) {
      return sessionId == null || sessionId.equals(session);
    }

    /** True if this principal sees a webhook subscription for {@code subscriptionSession} (null: all sessions). */
    public boolean owns(@Nullable String subscriptionSession) {
      return sessionId == null || sessionId.equals(subscriptionSession);
    }

    /** What a session key is told when it reaches for another session. */
    public String scopeMessage() {
      return "this API key is limited to session '" + sessionId + "'";
    }

    /**
     * The session a listing or filter that asked for {@code requested} (null: none) covers: for a
     * session key always its own, for an admin the one asked for, or null for all.
     *
     * @throws OutOfScope when a session key asks for another session
     */
    public @Nullable String scopedSession(@Nullable String requested) {
      if (sessionId == null) {
        return requested;
      }
      if (requested != null && !sessionId.equals(requested)) {
        throw new OutOfScope(scopeMessage());
      }
      return sessionId;
    }
  }

  /** A session key reached for another session (403). */
  public static final class OutOfScope extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfScope(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The key a request presents: {@code Authorization: Bearer <key>}, else {@code X-Api-Key}; the same
   * for HTTP requests and WebSocket handshakes.
   */
  static @Nullable String presented(java.util.function.Function<String, @Nullable String> header) {
    String auth = header.apply("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    String key = header.apply("X-Api-Key");
    return key == null || key.isEmpty() ? null : key;
  }

  /** One configured key. {@code devKey} marks the documented development key. */
  public record Entry(byte[] hash, @Nullable String sessionId, boolean devKey) {
    String keyId() {
      return HexFormat.of().formatHex(hash, 0, 4);
    }

    String scopeDescription() {
      return (sessionId == null ? "admin" : "session:" + sessionId) + "#" + keyId();
    }

    @Override
    public String toString() {
      return "ApiKey[" + scopeDescription() + "]";
    }
  }

  public ApiKeys(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one API key");
    }
    this.entries = List.copyOf(entries);
  }

  /** Parses WA_API_KEYS; null or empty gives the development key alone. */
  static List<Entry> parse(@Nullable String spec) {
    if (spec == null || spec.isBlank()) {
      return List.of(new Entry(sha256(ServerConfig.DEV_ADMIN_KEY), null, true));
    }
    List<Entry> out = new ArrayList<>();
    String[] items = spec.split(",");
    for (int i = 0; i < items.length; i++) {
      String item = items[i].trim();
      String field = "WA_API_KEYS[" + i + "]";
      String key;
      String session = null;
      if (item.startsWith("admin:")) {
        key = item.substring("admin:".length());
      } else if (item.startsWith("session:")) {
        String rest = item.substring("session:".length());
        int colon = rest.indexOf(':');
        if (colon <= 0) {
          throw new ValidationException(field, "a session key is written session:<session id>:<key>");
        }
        session = SessionId.validate(field, rest.substring(0, colon));
        key = rest.substring(colon + 1);
      } else {
        throw new ValidationException(field, "each key is admin:<key> or session:<session id>:<key>");
      }
      if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(c -> c <= ' ' || c == ',')) {
        throw new ValidationException(field, "a key is at least " + MIN_KEY_LENGTH
            + " characters without spaces or commas");
      }
      out.add(new Entry(sha256(key), session, false));
    }
    return out;
  }

  /** The principal of a presented key, or null. Every entry is compared, whichever matches. */
  public @Nullable Principal authenticate(@Nullable String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > 512) {
      return null;
    }
    byte[] h = sha256(presented);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.hash(), h) && found == null) {
        found = e;
      }
    }
    return found == null ? null : new Principal(found.keyId(), found.sessionId());
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
