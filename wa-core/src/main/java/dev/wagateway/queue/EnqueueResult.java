package dev.wagateway.queue;

import dev.wagateway.message.MessageInfo;

/** What {@link QueueStore#enqueue} did. */
public sealed interface EnqueueResult {

  /** Stored as a new message. */
  record Accepted(MessageInfo message) implements EnqueueResult {}

  /** The idempotency key was used within the window: nothing stored, this is the original. */
  record Duplicate(String originalId) implements EnqueueResult {}
}
