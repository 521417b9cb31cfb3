package dev.wagateway.queue;

import dev.wagateway.message.FailureType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Selects dead letters; null fields match everything.
 *
 * @param since dead-lettered at or after
 * @param until dead-lettered before
 * @param limit at most this many (list only)
 */
public record DeadLetterFilter(@Nullable String sessionId, @Nullable FailureType failureType,
    @Nullable Instant since, @Nullable Instant until, int limit) {

  public static final int DEFAULT_LIMIT = 100;

  public DeadLetterFilter {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  public static DeadLetterFilter all() {
    return new DeadLetterFilter(null, null, null, null, DEFAULT_LIMIT);
  }

  public DeadLetterFilter session(@Nullable String id) {
    return new DeadLetterFilter(id, failureType, since, until, limit);
  }

  public DeadLetterFilter type(@Nullable FailureType t) {
    return new DeadLetterFilter(sessionId, t, since, until, limit);
  }

  public DeadLetterFilter between(@Nullable Instant from, @Nullable Instant to) {
    return new DeadLetterFilter(sessionId, failureType, from, to, limit);
  }

  public DeadLetterFilter limit(int max) {
    return new DeadLetterFilter(sessionId, failureType, since, until, max);
  }
}
