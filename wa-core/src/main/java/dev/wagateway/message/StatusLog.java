package dev.wagateway.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The status of one outbound message and its history. Thread-safe: acks and receipts may race.
 *
 * <p>{@link #advance} applies observations monotonically (late receipts are ignored and say so by
 * returning empty). {@link #restart} is the one way back to QUEUED, used for a retry of a failed
 * attempt or a replay from the dead-letter queue; it is refused once WhatsApp accepted the message.
 */
public final class StatusLog {

  /** One entry of the history. {@code cause} is a short reason such as {@code retry 2/5}. */
  public record Change(MessageStatus status, Instant at, @Nullable Failure failure, String cause) {}

  private final List<Change> changes = new ArrayList<>(6);
  private MessageStatus current;

  /** A log that starts in {@code status} at {@code at}. */
  public StatusLog(MessageStatus status, Instant at, String cause) {
    this.current = status;
    changes.add(new Change(status, at, null, cause));
  }

  /**
   * Applies {@code next} if it moves the message forward.
   *
   * @return the change recorded, or empty when {@code next} would move backwards or repeat
   */
  public synchronized Optional<Change> advance(
      MessageStatus next, Instant at, @Nullable Failure failure, String cause) {
    if (!current.canAdvanceTo(next)) {
      return Optional.empty();
    }
    return Optional.of(record(next, at, failure, cause));
  }

  /** Applies {@code next} without failure or cause. */
  public Optional<Change> advance(MessageStatus next, Instant at) {
    return advance(next, at, null, "");
  }

  /**
   * Back to QUEUED for another attempt.
   *
   * @throws IllegalStateException when WhatsApp already accepted the message: sending it again
   *     would deliver it twice
   */
  public synchronized Change restart(Instant at, String cause) {
    if (current.isAccepted()) {
      throw new IllegalStateException("message was already " + current + "; it cannot be sent again");
    }
    return record(MessageStatus.QUEUED, at, null, cause);
  }

  private Change record(MessageStatus next, Instant at, @Nullable Failure failure, String cause) {
    Change c = new Change(next, at, failure, cause);
    changes.add(c);
    current = next;
    return c;
  }

  public synchronized MessageStatus current() {
    return current;
  }

  /** The last failure recorded, if any. */
  public synchronized Optional<Failure> lastFailure() {
    for (int i = changes.size() - 1; i >= 0; i--) {
      if (changes.get(i).failure() != null) {
        return Optional.ofNullable(changes.get(i).failure());
      }
    }
    return Optional.empty();
  }

  /** A copy of the history, oldest first. */
  public synchronized List<Change> history() {
    return List.copyOf(changes);
  }
}
