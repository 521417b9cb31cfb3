package dev.wagateway.internal;

import dev.wagateway.event.Delivery;
import dev.wagateway.event.EventListener;
import dev.wagateway.event.EventStream;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.event.Subscription;
import dev.wagateway.event.SubscriptionStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one publisher of gateway events. SYNC subscribers run on the publishing thread; ASYNC ones
 * each have a bounded buffer drained by a shared pool, one drain at a time per subscriber (so each
 * sees events in publication order). A full buffer drops for that subscriber only, counted.
 */
public final class EventBus implements EventStream, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  /** Events one drain run delivers before yielding its thread to other subscribers. */
  private static final int DRAIN_BATCH = 512;

  private final CopyOnWriteArrayList<Sub> subs = new CopyOnWriteArrayList<>();
  private final ExecutorService executor;
  private volatile boolean closed;

  public EventBus() {
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wa-events-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Hands {@code event} to every subscriber. Never blocks on an ASYNC subscriber. */
  public void publish(GatewayEvent event) {
    for (Sub s : subs) {
      s.offer(event);
    }
  }

  @Override
  public Subscription subscribe(EventListener listener, SubscribeOptions options) {
    Sub s = new Sub(listener, options);
    subs.add(s);
    return s;
  }

  @Override
  public List<SubscriptionStats> stats() {
    return subs.stream().map(Sub::stats).toList();
  }

  /** Waits up to {@code timeout} for ASYNC buffers to drain; returns true if they did. */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (subs.stream().anyMatch(s -> s.busy())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Delivers what is buffered (up to 5 s), then stops. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(Duration.ofSeconds(5));
    closed = true;
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    subs.clear();
  }

  private final class Sub implements Subscription {
    private final EventListener listener;
    private final SubscribeOptions options;
    private final ArrayBlockingQueue<GatewayEvent> buffer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean open = true;

    Sub(EventListener listener, SubscribeOptions options) {
      this.listener = listener;
      this.options = options;
      this.buffer = new ArrayBlockingQueue<>(
          options.delivery() == Delivery.ASYNC ? options.bufferCapacity() : 1);
    }

    void offer(GatewayEvent e) {
      if (!open) {
        return;
      }
      boolean wanted;
      try {
        wanted = options.filter().test(e);
      } catch (RuntimeException ex) {
        failed.increment();
        log.warn("event filter of subscription '{}' threw on {} {}", options.name(), e.type(), e.id(), ex);
        return;
      }
      if (!wanted) {
        return;
      }
      if (options.delivery() == Delivery.SYNC) {
        deliver(e);
        return;
      }
      if (!buffer.offer(e)) {
        dropped.increment();
        long d = dropped.sum();
        if (d == 1 || d % 1000 == 0) {
          log.warn("subscription '{}' is too slow: its buffer of {} is full, {} events dropped so far",
              options.name(), options.bufferCapacity(), d);
        }
        return;
      }
      schedule();
    }

    private void schedule() {
      if (scheduled.compareAndSet(false, true)) {
        try {
          executor.execute(this::drain);
        } catch (RejectedExecutionException ex) {
          scheduled.set(false); // closing: what is left is discarded with the subscription
        }
      }
    }

    private void drain() {
      draining.set(true);
      try {
        GatewayEvent e;
        int n = 0;
        while (open && n < DRAIN_BATCH && (e = buffer.poll()) != null) {
          deliver(e);
          n++;
        }
      } finally {
        draining.set(false);
        scheduled.set(false);
      }
      if (open && !buffer.isEmpty()) {
        schedule();
      }
    }

    private void deliver(GatewayEvent e) {
      String previous = MDC.get("eventId");
      MDC.put("eventId", e.id());
      try {
        listener.onEvent(e);
      } catch (RuntimeException ex) {
        failed.increment();
        log.warn("listener of subscription '{}' failed on {} {}", options.name(), e.type(), e.id(), ex);
      } finally {
        delivered.increment();
        if (previous == null) {
          MDC.remove("eventId");
        } else {
          MDC.put("eventId", previous);
        }
      }
    }

    boolean busy() {
      return open && (!buffer.isEmpty() || draining.get());
    }

    @Override
    public String name() {
      return options.name();
    }

    @Override
    public SubscriptionStats stats() {
      return new SubscriptionStats(options.name(), options.delivery(), delivered.sum(), dropped.sum(),
          failed.sum(), buffer.size());
    }

    @Override
    public void close() {
      open = false;
      subs.remove(this);
      buffer.clear();
    }
  }
}
