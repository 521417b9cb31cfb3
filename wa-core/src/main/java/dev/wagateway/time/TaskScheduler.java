package dev.wagateway.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where the gateway takes its time and runs its timers: backoff, watchdogs, pacing, receipts of the
 * simulated engine. Injected so that tests run on virtual time ({@link VirtualTaskScheduler}) and
 * production on real threads ({@link #system(String, int)}).
 */
public interface TaskScheduler extends AutoCloseable {

  /** The clock every timestamp of the gateway is read from. */
  Clock clock();

  default Instant now() {
    return clock().instant();
  }

  /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after {@code initialDelay}. */
  Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task);

  /** Runs {@code task} as soon as possible, never on the caller's stack when a thread pool backs it. */
  default void execute(Runnable task) {
    schedule(Duration.ZERO, task);
  }

  /** Stops running tasks; tasks not yet run are dropped. */
  @Override
  void close();

  /** A scheduler on real time with {@code threads} daemon threads named {@code name-N}. */
  static TaskScheduler system(String name, int threads) {
    return new SystemTaskScheduler(name, threads, Clock.systemUTC());
  }

  /** A handle to cancel a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run yet; a periodic task stops repeating. */
    void cancel();
  }
}
