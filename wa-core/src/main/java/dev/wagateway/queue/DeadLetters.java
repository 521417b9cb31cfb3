package dev.wagateway.queue;

import dev.wagateway.message.MessageInfo;
import java.util.List;
import java.util.Optional;

/** The dead-letter queue: inspect, replay and purge messages that were given up on. */
public interface DeadLetters {

  List<MessageInfo> list(DeadLetterFilter filter);

  Optional<MessageInfo> get(String messageId);

  /** Sends a dead letter again (attempts start over). Returns false if it is not a dead letter. */
  boolean replay(String messageId);

  /** Replays every dead letter matching {@code filter} (its limit applies); returns how many. */
  int replayAll(DeadLetterFilter filter);

  /** Deletes matching dead letters; returns how many. */
  int purge(DeadLetterFilter filter);
}
