package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Meta's error codes in the gateway's terms: the message's {@link Failure} (which decides retries)
 * and, for codes about the account rather than the message, what happens to the session. Decided
 * by the error code, never by the HTTP status alone (Meta answers 400 for throttling and for bad
 * requests alike). docs/cloudapi.md has the table.
 */
final class MetaErrors {
  private MetaErrors() {}

  /** An error Meta reported, from a Graph API answer or a failed status in a webhook. */
  record MetaError(int httpStatus, int code, @Nullable Integer subcode, String title, @Nullable String details,
      @Nullable Boolean transientHint) {

    /** Reads {@code {"error": {...}}} (Graph answers) or one entry of a webhook's {@code errors} array. */
    static @Nullable MetaError parse(int httpStatus, @Nullable JsonNode root) {
      if (root == null || !root.isObject()) {
        return null;
      }
      JsonNode e = root.has("error") ? root.get("error") : root;
      if (e == null || !e.isObject() || !e.path("code").canConvertToInt()) {
        return null;
      }
      String title = e.hasNonNull("title") ? e.get("title").asText() : e.path("message").asText("");
      String details = e.path("error_data").hasNonNull("details") ? e.path("error_data").get("details").asText()
          : e.hasNonNull("message") && e.hasNonNull("title") ? e.get("message").asText() : null;
      Integer sub = e.path("error_subcode").canConvertToInt() ? e.get("error_subcode").asInt() : null;
      Boolean hint = e.has("is_transient") ? e.get("is_transient").asBoolean() : null;
      return new MetaError(httpStatus, e.get("code").asInt(), sub, clip(title), details == null ? null : clip(details),
          hint);
    }

    String describe() {
      return title + (details == null || details.equals(title) ? "" : ": " + details);
    }
  }

  /** What an error means for the message and for the session. */
  record Mapped(Failure failure, @Nullable Disconnect session) {}

  static Mapped map(MetaError e, CloudApiConfig config) {
    String code = String.valueOf(e.code());
    String d = e.describe();
    return switch (e.code()) {
      // throughput: the phone number's messages per second
      case 130429 -> new Mapped(Failure.rateLimited(code, "Cloud API throughput reached: " + d,
          config.throughputBackoff()), null);
      // one recipient gets too many messages from this number in a short time: hold only that recipient
      case 131056 -> new Mapped(Failure.rateLimitedRecipient(code, "pair rate limit for this recipient: " + d,
          config.pairRateBackoff()), null);
      // account (WABA) or app rate limits: pause the session
      case 80007, 4, 613 -> new Mapped(Failure.rateLimited(code, "rate limit of the account or app: " + d,
          config.accountRateBackoff()), null);
      case 131047 -> new Mapped(Failure.of(FailureType.PERMANENT, code, "outside the 24-hour customer service"
          + " window: more than 24 hours since the recipient last wrote; send an approved template instead ("
          + d + ")"), null);
      case 131026 -> new Mapped(Failure.of(FailureType.RECIPIENT_INVALID, code, "message undeliverable: the"
          + " number is not on WhatsApp, runs an old app or has not accepted the terms (" + d + ")"), null);
      case 131030 -> new Mapped(Failure.of(FailureType.RECIPIENT_INVALID, code,
          "the recipient is not in the test number's allowed list (" + d + ")"), null);
      case 131021 -> new Mapped(Failure.of(FailureType.RECIPIENT_INVALID, code,
          "the recipient is the sending number itself (" + d + ")"), null);
      // the token expired or was revoked: nothing is sent until an operator gives a new one
      case 190, 0 -> new Mapped(Failure.of(FailureType.TRANSIENT, code, "access token refused: " + d),
          new Disconnect(Disconnect.Kind.LOGGED_OUT, code, "the access token was refused (" + d + ")"));
      // the account is restricted or blocked
      case 368, 131048, 131031 -> new Mapped(Failure.of(FailureType.SESSION_RESTRICTED, code,
          "the account is restricted: " + d),
          new Disconnect(Disconnect.Kind.RESTRICTED, code, "Meta restricted the account (" + d + ")"));
      // the number cannot send at all until an operator fixes its registration
      case 133010, 131045 -> new Mapped(Failure.of(FailureType.TRANSIENT, code, "phone number not usable: " + d),
          new Disconnect(Disconnect.Kind.FATAL, code, "the phone number is not registered for the Cloud API ("
              + d + ")"));
      // Meta's side: try again
      case 1, 2, 131000, 131016, 133004, 131057 -> new Mapped(Failure.of(FailureType.TRANSIENT, code,
          "Meta could not process the request now: " + d), null);
      // the request itself is wrong, or Meta chose not to deliver it: another attempt gives the same
      case 100, 131008, 131009, 131051, 131052, 131053, 131049, 131050, 131062, 131042, 130472, 10, 200,
          132000, 132001, 132005, 132007, 132012, 132015, 132016, 132068, 132069, 135000 ->
          new Mapped(Failure.of(FailureType.PERMANENT, code, d), null);
      default -> unknown(e, code, d);
    };
  }

  /** An unlisted code: Meta's own transient flag if it gave one, else 5xx means try again. */
  private static Mapped unknown(MetaError e, String code, String d) {
    boolean retry = e.transientHint() != null ? e.transientHint() : e.httpStatus() >= 500;
    return new Mapped(Failure.of(retry ? FailureType.TRANSIENT : FailureType.PERMANENT, code,
        "Meta error " + code + ": " + d), null);
  }

  /** A Graph answer without a Meta error in it (a proxy's HTML page, an empty body). */
  static Failure withoutError(int httpStatus) {
    boolean retry = httpStatus >= 500 || httpStatus == 429 || httpStatus == 408;
    return Failure.of(retry ? FailureType.TRANSIENT : FailureType.PERMANENT, "http_" + httpStatus,
        "the Graph API answered HTTP " + httpStatus + " without an error body");
  }

  /** A retry wait Meta gave in a {@code Retry-After} header overrides the configured one. */
  static Failure withRetryAfter(Failure f, @Nullable Duration retryAfter) {
    return retryAfter == null || f.type() != FailureType.RATE_LIMITED ? f
        : new Failure(f.type(), f.code(), f.detail(), retryAfter, f.perRecipient());
  }

  private static String clip(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }
}
