package dev.wagateway.webhook;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to deliver, as logged.
 *
 * @param statusCode the HTTP status, or 0 when there was none (timeout, connection error, refused)
 * @param error what went wrong without a status, e.g. {@code timeout after PT15S}
 * @param responseExcerpt the start of the response body, capped
 */
public record DeliveryAttempt(Instant at, int statusCode, Duration latency, DeliveryOutcome outcome,
    @Nullable String error, String responseExcerpt) {}
