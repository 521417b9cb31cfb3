package dev.wagateway.server;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An answer other than success, rendered as RFC 9457 {@code application/problem+json}: status, a
 * short title, a detail that says what to do, and the field at fault when there is one.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String title;
  final @Nullable String field;
  final @Nullable Duration retryAfter;

  ApiException(int status, String title, String detail, @Nullable String field, @Nullable Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  static ApiException badRequest(@Nullable String field, String detail) {
    return new ApiException(400, "Invalid request", detail, field, null);
  }

  static ApiException notFound(String detail) {
    return new ApiException(404, "Not found", detail, null, null);
  }

  static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail, null, null);
  }

  static ApiException conflict(String detail) {
    return new ApiException(409, "Conflict", detail, null, null);
  }
}
