package dev.wagateway.message;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed failure: its {@link FailureType}, a short machine code (e.g. {@code timeout},
 * {@code 131026}) and a human detail. Details never hold secrets or full phone numbers.
 *
 * @param retryAfter how long the other side asked us to wait, when it said so
 * @param perRecipient true when the limit or fault concerns this recipient only (e.g. the Cloud
 *     API's pair rate limit, 131056): the dispatcher backs off that recipient's messages and keeps
 *     sending to everyone else, instead of pausing the whole session
 */
public record Failure(FailureType type, String code, String detail, @Nullable Duration retryAfter,
    boolean perRecipient) {
  public Failure {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  /** A failure that concerns the whole session (the usual case). */
  public Failure(FailureType type, String code, String detail, @Nullable Duration retryAfter) {
    this(type, code, detail, retryAfter, false);
  }

  public static Failure of(FailureType type, String code, String detail) {
    return new Failure(type, code, detail, null);
  }

  public static Failure rateLimited(String code, String detail, Duration retryAfter) {
    return new Failure(FailureType.RATE_LIMITED, code, detail, retryAfter);
  }

  /** Throttled for one recipient only: retried after {@code retryAfter}, the session keeps going. */
  public static Failure rateLimitedRecipient(String code, String detail, Duration retryAfter) {
    return new Failure(FailureType.RATE_LIMITED, code, detail, retryAfter, true);
  }
}
