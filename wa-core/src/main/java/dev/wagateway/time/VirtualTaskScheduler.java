package dev.wagateway.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskScheduler} on virtual time for tests: nothing runs until {@link #advance(Duration)}
 * or {@link #runPending()} is called, and then tasks run on the caller's thread in due-time order
 * (ties in submission order). Hours of backoff and watchdog timeouts pass in microseconds.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread; they run only inside advance/runPending.
 */
public final class VirtualTaskScheduler implements TaskScheduler {
  private static final Logger log = LoggerFactory.getLogger(VirtualTaskScheduler.class);

  /** The start of virtual time unless another is given. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final VirtualClock clock;
  private long sequence;
  private boolean closed;
  private boolean running;

  public VirtualTaskScheduler() {
    this(DEFAULT_START);
  }

  public VirtualTaskScheduler(Instant start) {
    this.clock = new VirtualClock(start);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(clock.now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task, null);
    if (!closed) {
      queue.add(t);
    }
    return t::cancel;
  }

  @Override
  public synchronized Cancellable scheduleAtFixedRate(
      Duration initialDelay, Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, was " + period);
    }
    Task t = new Task(clock.now.plus(initialDelay), sequence++, task, period);
    if (!closed) {
      queue.add(t);
    }
    return t::cancel;
  }

  /** Runs every task that is due now, including tasks they schedule for now. */
  public void runPending() {
    advance(Duration.ZERO);
  }

  /** Moves time forward by {@code amount}, running each task at its due time on this thread. */
  public void advance(Duration amount) {
    Instant target;
    synchronized (this) {
      target = clock.now.plus(amount);
    }
    advanceTo(target);
  }

  /** Moves time forward to {@code target}, running each due task at its due time on this thread. */
  public void advanceTo(Instant target) {
    while (true) {
      Task next;
      synchronized (this) {
        if (running) {
          throw new IllegalStateException("advance() called from a task of this scheduler");
        }
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          if (target.isAfter(clock.now)) {
            clock.now = target;
          }
          return;
        }
        queue.poll();
        if (next.due.isAfter(clock.now)) {
          clock.now = next.due;
        }
        if (next.isCancelled()) {
          continue;
        }
        if (next.period != null) {
          queue.add(new Task(next.due.plus(next.period), sequence++, next.action, next.period, next));
        }
        running = true;
      }
      try {
        next.action.run();
      } catch (RuntimeException e) {
        log.error("virtual task failed", e);
      } finally {
        synchronized (this) {
          running = false;
        }
      }
    }
  }

  /** How many tasks wait to run (cancelled ones excluded). */
  public synchronized int pendingTasks() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  private static final class Task implements Comparable<Task> {
    final Instant due;
    final long seq;
    final Runnable action;
    final Duration period;
    /** For periodic tasks: the first occurrence, which carries the cancellation flag for all. */
    final Task origin;
    volatile boolean cancelled;

    Task(Instant due, long seq, Runnable action, Duration period) {
      this(due, seq, action, period, null);
    }

    Task(Instant due, long seq, Runnable action, Duration period, Task origin) {
      this.due = due;
      this.seq = seq;
      this.action = action;
      this.period = period;
      this.origin = origin == null ? this : origin.origin;
    }

    void cancel() {
      origin.cancelled = true;
      cancelled = true;
    }

    boolean isCancelled() {
      return cancelled || origin.cancelled;
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static final class VirtualClock extends Clock {
    volatile Instant now;

    VirtualClock(Instant start) {
      this.now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the virtual clock is always UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
