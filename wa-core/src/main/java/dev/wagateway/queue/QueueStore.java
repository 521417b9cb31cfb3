package dev.wagateway.queue;

import dev.wagateway.message.Failure;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where outbound messages wait, and the record of what happened to them. Implementations are
 * thread-safe and keep these rules (the contract suite {@code QueueStoreContract} in wa-core's
 * test-jar checks them against every implementation):
 *
 * <ul>
 *   <li>Per session and recipient, messages leave in enqueue order: only the oldest unfinished
 *       message of a recipient can be claimed, so a retry is never overtaken.
 *   <li>Across recipients, due messages are claimed by priority, then enqueue order.
 *   <li>A claim leases a message; a lease that is neither completed nor released by its expiry is
 *       returned to the queue by {@link #requeueExpiredLeases}.
 *   <li>Status only moves as {@link StatusLog} allows; methods return the changes they made.
 *   <li>Every change, the first QUEUED included, is passed to the {@link ChangeListener} while the
 *       message is still locked (in a database: inside the transaction), so one message's changes
 *       reach the listener in the order they were made, whatever thread made them.
 * </ul>
 */
public interface QueueStore {

  /** Receives every status change of every message, in order per message. Must not block. */
  @FunctionalInterface
  interface ChangeListener {
    /** @param attempts attempts made so far (the current one included) */
    void onChange(OutboundMessage message, int attempts, StatusLog.Change change);
  }

  /** Sets the one listener (the gateway's); replaces any earlier one. */
  void setChangeListener(ChangeListener listener);

  /**
   * Stores a new QUEUED message, due at its {@code notBefore} (or now). With an idempotency key
   * used for the same session within {@code idempotencyWindow}, stores nothing and returns the
   * original's id; concurrent calls with one key store exactly one message.
   */
  EnqueueResult enqueue(OutboundMessage message, Instant now, Duration idempotencyWindow);

  /**
   * Stores several new messages as {@link #enqueue} stores each, in list order, and returns their
   * results in that order. A database stores them in one transaction (all or none) with as few round
   * trips as it can; the default enqueues them one by one.
   */
  default List<EnqueueResult> enqueueAll(List<OutboundMessage> messages, Instant now, Duration idempotencyWindow) {
    List<EnqueueResult> results = new java.util.ArrayList<>(messages.size());
    for (OutboundMessage m : messages) {
      results.add(enqueue(m, now, idempotencyWindow));
    }
    return results;
  }

  /** Leases up to {@code max} due messages of a session for {@code lease}; no status change. */
  List<Claimed> claim(String sessionId, Instant now, int max, Duration lease);

  /**
   * Claims as {@link #claim} does and, in the same store call, marks the first claimed message (in
   * claim order) as {@link #markSending} would mark it now, unless it is past its
   * {@link OutboundMessage#expiresAt} or goes to one of {@code heldRecipients}: that one is left as
   * a plain claim, for the caller to dead-letter or hold. For a dispatcher that knows before the
   * claim that the first message may go unless its recipient is held (its pacing waits between
   * messages to one recipient), which saves a database one transaction per claim. The marked
   * message is {@link Claimed#sending()}; the caller sends it without marking it again. When the
   * session's lease is lost ({@link dev.wagateway.FencedException}) nothing is claimed. The default
   * makes the two calls.
   *
   * @param heldRecipients recipients ({@link dev.wagateway.jid.Jid#asString}) not to mark a message to
   */
  default List<Claimed> claimFirstSending(String sessionId, Instant now, int max, Duration lease,
      java.util.Collection<String> heldRecipients) {
    List<Claimed> claimed = claim(sessionId, now, max, lease);
    if (claimed.isEmpty() || claimed.get(0).expiredAt(now)
        || heldRecipients.contains(claimed.get(0).message().to().asString())) {
      return claimed;
    }
    Claimed first = claimed.get(0);
    try {
      markSending(first.id(), now);
    } catch (dev.wagateway.FencedException fenced) {
      for (Claimed c : claimed) {
        release(c.id(), now);
      }
      return List.of();
    }
    List<Claimed> out = new java.util.ArrayList<>(claimed);
    out.set(0, first.markedSending());
    return out;
  }

  /**
   * A leased message.
   *
   * @param attempts attempts made before this one
   * @param availableAt when it became due (for the dispatch lag)
   * @param sending whether the claim also marked it SENDING ({@link #claimFirstSending}), so this
   *     attempt is already counted and recorded
   */
  record Claimed(OutboundMessage message, int attempts, Instant availableAt, boolean sending) {
    /** A message the claim leased and did not mark. */
    public Claimed(OutboundMessage message, int attempts, Instant availableAt) {
      this(message, attempts, availableAt, false);
    }

    public String id() {
      return message.id();
    }

    /** The same claim, marked SENDING by the store. */
    public Claimed markedSending() {
      return new Claimed(message, attempts, availableAt, true);
    }

    /** Whether it may no longer be sent at {@code now}. */
    public boolean expiredAt(Instant now) {
      Instant expiresAt = message.expiresAt();
      return expiresAt != null && !now.isBefore(expiresAt);
    }
  }

  /** Gives a claimed message back, due at {@code availableAt} (pacing); no status change. */
  void release(String id, Instant availableAt);

  /** The claimed message goes to the engine now: SENDING, attempts + 1. */
  Optional<StatusLog.Change> markSending(String id, Instant at);

  /** The engine accepted it: SENT (if still allowed), lease cleared, provider id indexed. */
  Optional<StatusLog.Change> markSent(String id, String providerMessageId, Instant at);

  /**
   * Several claimed messages of one session go to the engine now, each as {@link #markSending}
   * marks it; the changes in list order. A database marks them in one transaction, so when the
   * session's lease is lost ({@link dev.wagateway.FencedException}) it marks none.
   */
  default List<Optional<StatusLog.Change>> markSendingAll(List<String> ids, Instant at) {
    List<Optional<StatusLog.Change>> changes = new java.util.ArrayList<>(ids.size());
    for (String id : ids) {
      changes.add(markSending(id, at));
    }
    return changes;
  }

  /** The engine's acceptance of one message, for {@link #markSentAll}. */
  record Ack(String id, String providerMessageId, Instant at) {}

  /**
   * Several acceptances at once, each as {@link #markSent} records it; the changes in list order. A
   * database records them in one transaction; the default records them one by one.
   */
  default List<Optional<StatusLog.Change>> markSentAll(List<Ack> acks) {
    List<Optional<StatusLog.Change>> changes = new java.util.ArrayList<>(acks.size());
    for (Ack a : acks) {
      changes.add(markSent(a.id(), a.providerMessageId(), a.at()));
    }
    return changes;
  }

  /** The attempt failed and another follows at {@code retryAt}: FAILED, then QUEUED. */
  List<StatusLog.Change> retry(String id, Failure failure, Instant at, Instant retryAt);

  /** No more attempts: FAILED (if the attempt failed now), then DEAD_LETTERED. */
  List<StatusLog.Change> deadLetter(String id, Failure failure, Instant at);

  /** A receipt for a sent message, by provider id; applied only if it moves the status forward. */
  default Optional<Receipt> applyReceipt(String providerMessageId, MessageStatus status, Instant at) {
    return applyReceipt(providerMessageId, status, at, null);
  }

  /**
   * A receipt with the failure it reports, for a FAILED after SENT (the Cloud API's asynchronous
   * refusals); the failure is recorded as the message's last failure. Null for other receipts.
   */
  Optional<Receipt> applyReceipt(String providerMessageId, MessageStatus status, Instant at,
      @Nullable Failure failure);

  /** A receipt that was applied, with the message it moved. */
  record Receipt(MessageInfo message, StatusLog.Change change) {}

  /** Cancels a message that is waiting (not claimed): FAILED with reason CANCELLED. */
  Optional<StatusLog.Change> cancel(String id, Instant at);

  /** Ids of a session's messages that are waiting or being sent, oldest first. */
  List<String> unfinishedIds(String sessionId);

  Optional<MessageInfo> get(String id);

  /** The message WhatsApp knows by {@code providerMessageId}, once it was sent. */
  Optional<MessageInfo> findByProvider(String providerMessageId);

  /** Dead letters matching {@code filter}, oldest first. */
  List<MessageInfo> deadLetters(DeadLetterFilter filter);

  /** A dead letter back to QUEUED, due now, attempts reset (history kept). */
  Optional<StatusLog.Change> replay(String id, Instant at);

  /** Removes matching dead letters; returns how many. */
  int purge(DeadLetterFilter filter);

  /** Returns messages whose lease expired by {@code now} to the queue, due now; returns how many. */
  default int requeueExpiredLeases(Instant now) {
    return requeueLeases(now, now);
  }

  /**
   * Returns messages leased until {@code leasedUntil} or earlier to the queue, due at
   * {@code dueAt}; returns how many. A gateway starting on a store it alone uses passes a far
   * {@code leasedUntil}: every lease is then from a process that died.
   */
  int requeueLeases(Instant leasedUntil, Instant dueAt);

  /**
   * Returns every claimed message of one session to the queue, due at {@code dueAt}: when an
   * instance takes a session over from one that died, whose claims would otherwise wait for their
   * lease to end. Returns how many.
   */
  int requeueSessionLeases(String sessionId, Instant dueAt);

  /** When the session's next waiting message is due, if it has one. */
  Optional<Instant> nextDue(String sessionId);

  /** Counts per session with anything queued, active or dead-lettered. */
  Map<String, QueueCounts> counts();

  /**
   * Forgets messages that finished (sent, cancelled) before {@code cutoff}; dead letters stay until
   * purged. Returns how many were forgotten.
   */
  int pruneFinished(Instant cutoff);

  /**
   * Throws {@link dev.wagateway.StoreException} if the store cannot be reached now. Health checks
   * call it; in-memory stores are always reachable.
   */
  default void ping() {}

  /**
   * Sets who is told that a session has new messages that another process stored (a store shared
   * by several instances, e.g. through PostgreSQL's LISTEN/NOTIFY), so an idle dispatcher wakes
   * without polling. Stores used by one process never call it.
   */
  default void setWakeListener(java.util.function.Consumer<String> sessionHasWork) {}

  /**
   * Whether writes cost far more one by one than together (a database: a round trip and a commit
   * each). The dispatcher then marks a batch SENDING in one call and gathers acceptances into
   * {@link #markSentAll}; for a store in memory it makes the single calls, which cost less there.
   */
  default boolean prefersBatches() {
    return false;
  }

  /**
   * How many batched writes the store does well at once (transactions on separate connections). The
   * dispatcher records acceptances in up to this many {@link #markSentAll} calls at a time, each
   * taking what has gathered. 1 (the default): one at a time, as for a store with one writer.
   */
  default int concurrentWrites() {
    return 1;
  }
}
