package dev.wagateway.internal;

import dev.wagateway.QueueFullException;
import dev.wagateway.queue.QueueConfig;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts messages accepted and not yet finished, against {@link QueueConfig#maxQueued()}. A send
 * takes a slot (or is refused, or waits, by the overflow policy); a message that ends (sent,
 * dead-lettered, cancelled) gives its slot back.
 */
final class Capacity {
  private final int max;
  private final QueueConfig.Overflow overflow;
  private final Duration blockTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int used;

  Capacity(QueueConfig config) {
    this.max = config.maxQueued();
    this.overflow = config.overflow();
    this.blockTimeout = config.blockTimeout();
  }

  /** Takes a slot or throws {@link QueueFullException}. */
  void acquire() {
    lock.lock();
    try {
      if (used < max) {
        used++;
        return;
      }
      if (overflow == QueueConfig.Overflow.REJECT) {
        throw new QueueFullException(max, "");
      }
      long nanos = blockTimeout.toNanos();
      while (used >= max) {
        if (nanos <= 0) {
          throw new QueueFullException(max, " and stayed full for " + blockTimeout);
        }
        try {
          nanos = freed.awaitNanos(nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new QueueFullException(max, " (interrupted while waiting)");
        }
      }
      used++;
    } finally {
      lock.unlock();
    }
  }

  /** Takes slots regardless of the limit (messages found in a durable store, replays). */
  void force(int n) {
    lock.lock();
    try {
      used += n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the count from the store: with several instances on one queue, messages this instance
   * accepted finish on others (and the other way round), so only the store knows what is unfinished.
   */
  void resync(int unfinished) {
    lock.lock();
    try {
      int before = used;
      used = Math.max(0, unfinished);
      if (used < before) {
        freed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  void release() {
    lock.lock();
    try {
      if (used > 0) {
        used--;
      }
      freed.signal();
    } finally {
      lock.unlock();
    }
  }

  int used() {
    lock.lock();
    try {
      return used;
    } finally {
      lock.unlock();
    }
  }
}
