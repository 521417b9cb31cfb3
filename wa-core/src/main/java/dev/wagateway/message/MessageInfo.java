package dev.wagateway.message;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of an outbound message: what was asked, where it is now, how it got there.
 *
 * @param attempts how many times the engine was asked to send it
 * @param availableAt when it is (or was) next due to be sent: notBefore, a retry's time or a pacing
 *     delay
 * @param providerMessageId the id the engine gave it on WhatsApp, once sent
 * @param lastFailure the most recent failed attempt, if any
 */
public record MessageInfo(
    OutboundMessage message,
    MessageStatus status,
    List<StatusLog.Change> history,
    int attempts,
    Instant availableAt,
    @Nullable String providerMessageId,
    @Nullable Failure lastFailure) {

  public String id() {
    return message.id();
  }

  public dev.wagateway.jid.Jid to() {
    return message.to();
  }
}
