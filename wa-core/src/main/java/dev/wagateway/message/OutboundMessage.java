package dev.wagateway.message;

import dev.wagateway.jid.Jid;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message the gateway accepted: the caller's request plus the gateway-assigned {@code id} and the
 * time it was accepted. Immutable.
 */
public record OutboundMessage(String id, MessageRequest request, Instant createdAt) {

  public String sessionId() {
    return request.sessionId();
  }

  public Jid to() {
    return request.to();
  }

  public MessageContent content() {
    return request.content();
  }

  public Priority priority() {
    return request.priority();
  }

  public @Nullable String idempotencyKey() {
    return request.idempotencyKey();
  }

  public @Nullable Instant notBefore() {
    return request.notBefore();
  }

  public @Nullable Instant expiresAt() {
    return request.expiresAt();
  }

  public @Nullable String replyTo() {
    return request.replyTo();
  }
}
