package dev.wagateway.message;

import dev.wagateway.ValidationException;
import dev.wagateway.jid.Jid;
import dev.wagateway.session.SessionId;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks to send. Built with {@link #builder()}; {@link Builder#build()} validates every
 * field and names the one at fault, so an invalid request never reaches the queue.
 */
public record MessageRequest(
    String sessionId,
    Jid to,
    MessageContent content,
    @Nullable String idempotencyKey,
    Priority priority,
    @Nullable Instant notBefore,
    @Nullable Instant expiresAt,
    @Nullable String replyTo) {

  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

  public MessageRequest {
    SessionId.validate("sessionId", sessionId);
    ValidationException.require(to != null, "to", "a recipient is required");
    ValidationException.require(content != null, "content", "content is required");
    Objects.requireNonNull(priority, "priority");
    if (idempotencyKey != null) {
      ValidationException.require(!idempotencyKey.isBlank()
          && idempotencyKey.length() <= MAX_IDEMPOTENCY_KEY_LENGTH
          && idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f), "idempotencyKey",
          "1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters without spaces");
    }
    if (notBefore != null && expiresAt != null) {
      ValidationException.require(expiresAt.isAfter(notBefore), "expiresAt",
          "must be after notBefore");
    }
    if (replyTo != null) {
      ValidationException.require(!replyTo.isBlank() && replyTo.length() <= 128, "replyTo",
          "the id of the quoted message, 1 to 128 characters");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MessageRequest}; recipients are parsed here so errors name {@code to}. */
  public static final class Builder {
    private @Nullable String sessionId;
    private @Nullable Jid to;
    private @Nullable MessageContent content;
    private @Nullable String idempotencyKey;
    private Priority priority = Priority.NORMAL;
    private @Nullable Instant notBefore;
    private @Nullable Instant expiresAt;
    private @Nullable String replyTo;

    private Builder() {}

    public Builder session(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    /** A phone number in any accepted form, or a JID. */
    public Builder to(String recipient) {
      this.to = Jid.parse("to", recipient);
      return this;
    }

    public Builder to(Jid recipient) {
      this.to = recipient;
      return this;
    }

    public Builder content(MessageContent content) {
      this.content = content;
      return this;
    }

    public Builder text(String body) {
      return content(MessageContent.text(body));
    }

    public Builder idempotencyKey(@Nullable String key) {
      this.idempotencyKey = key;
      return this;
    }

    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Do not send before this time (a scheduled send). */
    public Builder notBefore(@Nullable Instant notBefore) {
      this.notBefore = notBefore;
      return this;
    }

    /** Give up (status FAILED, reason EXPIRED) if not sent by this time. */
    public Builder expiresAt(@Nullable Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Quote (reply to) the message with this id. */
    public Builder replyTo(@Nullable String messageId) {
      this.replyTo = messageId;
      return this;
    }

    public MessageRequest build() {
      ValidationException.require(sessionId != null, "sessionId", "a session id is required");
      ValidationException.require(to != null, "to", "a recipient is required");
      ValidationException.require(content != null, "content", "content is required");
      return new MessageRequest(sessionId, to, content, idempotencyKey, priority, notBefore,
          expiresAt, replyTo);
    }
  }
}
