package dev.wagateway.message;

import java.util.EnumSet;
import java.util.Set;

/**
 * Status of an outbound message. Observations (acks, receipts) only ever move it forward along
 * {@code QUEUED → SENDING → SENT → DELIVERED → READ → PLAYED}; a late or out-of-order receipt is
 * ignored, never applied backwards. {@link #FAILED} and {@link #DEAD_LETTERED} end a delivery
 * attempt; only the queue's explicit retry and replay start a new one (see {@link StatusLog}).
 */
public enum MessageStatus {
  QUEUED,
  SENDING,
  SENT,
  DELIVERED,
  READ,
  /** A voice note was played. */
  PLAYED,
  /** The last attempt failed; the failure says whether it is retried. */
  FAILED,
  /** No more attempts: the message is in the dead-letter queue, where it can be replayed. */
  DEAD_LETTERED;

  private static final Set<MessageStatus> PROGRESS =
      EnumSet.of(QUEUED, SENDING, SENT, DELIVERED, READ, PLAYED);

  /** True for statuses on the forward progress path (not FAILED or DEAD_LETTERED). */
  public boolean isProgress() {
    return PROGRESS.contains(this);
  }

  /** True once WhatsApp accepted the message (SENT or later on the progress path). */
  public boolean isAccepted() {
    return isProgress() && ordinal() >= SENT.ordinal();
  }

  /**
   * Whether an observation of {@code next} may be applied when the message is in this status.
   * Progress only moves forward; FAILED can follow anything not yet delivered (the Cloud API
   * reports failures after "sent"); DEAD_LETTERED only follows FAILED.
   */
  public boolean canAdvanceTo(MessageStatus next) {
    if (next == this) {
      return false;
    }
    return switch (next) {
      case FAILED -> this == QUEUED || this == SENDING || this == SENT;
      case DEAD_LETTERED -> this == FAILED || this == QUEUED || this == SENDING;
      default -> isProgress() && next.ordinal() > ordinal();
    };
  }
}
