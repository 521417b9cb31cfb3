package dev.wagateway.message;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed failure: its {@link FailureType}, a short machine code (e.g. {@code timeout},
 * {@code 131026}) and a human detail. Details never hold secrets or full phone numbers.
 *
 * @param retryAfter how long the other side asked us to wait, when it said so
 */
public record Failure(FailureType type, String code, String detail, @Nullable Duration retryAfter) {
  public Failure {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
  }

  public static Failure of(FailureType type, String code, String detail) {
    return new Failure(type, code, detail, null);
  }

  public static Failure rateLimited(String code, String detail, Duration retryAfter) {
    return new Failure(FailureType.RATE_LIMITED, code, detail, retryAfter);
  }
}
