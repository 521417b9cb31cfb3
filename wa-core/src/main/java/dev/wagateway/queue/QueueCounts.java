package dev.wagateway.queue;

/**
 * Counts of one session's queue (or of all).
 *
 * @param waiting accepted and not yet handed to the engine (including scheduled and retry-waiting)
 * @param active handed to the engine, no answer yet
 * @param deadLettered in the dead-letter queue
 */
public record QueueCounts(long waiting, long active, long deadLettered) {
  public static final QueueCounts ZERO = new QueueCounts(0, 0, 0);

  public QueueCounts plus(QueueCounts o) {
    return new QueueCounts(waiting + o.waiting, active + o.active, deadLettered + o.deadLettered);
  }
}
