package dev.wagateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.observe.MetricsTracker;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A dispatcher run's records (queue timer, the session's send timer and counter) held until it ends, and none lost. */
class HeldRunTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WaGatewayMetrics metrics = new WaGatewayMetrics();
  final MetricsTracker tracker = metrics.tracker();

  HeldRunTest() {
    metrics.bindTo(registry);
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  Timer queue() {
    return registry.find(WaMetricNames.QUEUE_PROCESSING_DURATION).timer();
  }

  Timer send() {
    return registry.find(WaMetricNames.MESSAGE_SEND_DURATION).tags("session", "a").timer();
  }

  @Test
  void aRunsQueueRecordsAreWrittenWhenItEnds() {
    tracker.messageSent("a", "text", 1_000_000, 5_000_000);
    assertThat(queue().count()).as("outside a run: at once").isEqualTo(1);

    tracker.runStarted();
    tracker.messageSent("a", "text", 2_000_000, 7_000_000);
    tracker.messageSent("a", "text", 3_000_000, 9_000_000);
    assertThat(queue().count()).as("held during the run").isEqualTo(1);
    assertThat(send().count()).as("the session's timer too").isEqualTo(1);
    assertThat(sent("a", "text")).as("and its counter").isEqualTo(1);
    tracker.runEnded();
    assertThat(queue().count()).isEqualTo(3);
    assertThat(queue().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(21);
    assertThat(queue().max(TimeUnit.MILLISECONDS)).isEqualTo(9);
    assertThat(send().count()).isEqualTo(3);
    assertThat(send().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
    assertThat(send().max(TimeUnit.MILLISECONDS)).isEqualTo(3);
    assertThat(sent("a", "text")).isEqualTo(3);
  }

  double sent(String session, String type) {
    var c = registry.find(WaMetricNames.MESSAGES_SENT).tags("session", session, "type", type).counter();
    return c == null ? 0 : c.count();
  }

  Timer send(String session, String type) {
    return registry.find(WaMetricNames.MESSAGE_SEND_DURATION).tags("session", session, "type", type).timer();
  }

  @Test
  void aRunThatMovesBetweenSessionsAndTypesRecordsEachUnderItsOwnTags() {
    // the dispatcher's flush records acceptances of other lanes too, and each its own type; equal
    // strings that are not the same instance must find the same meters
    tracker.runStarted();
    tracker.messageSent("a", "text", 1_000_000, 1_000_000);
    tracker.messageSent("b", "text", 2_000_000, 1_000_000);
    tracker.messageSent(new String("a"), "image", 4_000_000, 1_000_000);
    tracker.messageSent(new String("a"), new String("image"), 8_000_000, 1_000_000);
    tracker.messageSent("a", "text", 16_000_000, 1_000_000);
    tracker.runEnded();
    assertThat(sent("a", "text")).isEqualTo(2);
    assertThat(send("a", "text").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(17);
    assertThat(sent("b", "text")).isEqualTo(1);
    assertThat(send("b", "text").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2);
    assertThat(sent("a", "image")).isEqualTo(2);
    assertThat(send("a", "image").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
    assertThat(queue().count()).isEqualTo(5);
  }

  @Test
  void aThreadThatReportsOutsideRunsGetsNoBuffer() throws Exception {
    // an engine's callback threads (virtual ones too) report sends outside a run: a buffer of 4 KiB
    // each would be garbage for every short-lived thread
    tracker.messageSent("a", "text", 1_000_000, 1_000_000); // the meters exist before the thread starts
    var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long[] allocated = new long[1];
    Thread t = new Thread(() -> {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100; i++) {
        tracker.messageSent("a", "text", 1_000_000, 1_000_000);
      }
      allocated[0] = mx.getCurrentThreadAllocatedBytes() - before;
    });
    t.start();
    t.join();
    assertThat(send().count()).isEqualTo(101);
    assertThat(allocated[0]).as("bytes the reporting thread allocated").isLessThan(1_024);
  }

  @Test
  void runsNestAndAFullBufferIsWrittenEarly() {
    tracker.runStarted();
    tracker.runStarted();
    tracker.messageSent("a", "text", 1, 1_000_000);
    tracker.runEnded();
    assertThat(queue().count()).as("the outer run still holds").isZero();
    tracker.runEnded();
    assertThat(queue().count()).isEqualTo(1);

    tracker.runStarted();
    for (int i = 0; i < 300; i++) {
      tracker.messageSent("a", "text", 1, 1_000_000);
    }
    assertThat(queue().count()).as("a full buffer is written before the run ends")
        .isGreaterThan(1).isLessThan(301);
    assertThat(send().count()).isGreaterThan(1).isLessThan(301);
    tracker.runEnded();
    assertThat(queue().count()).isEqualTo(301);
    assertThat(send().count()).isEqualTo(301);
    assertThat(sent("a", "text")).isEqualTo(301);
    tracker.runEnded(); // an unpaired end is harmless
    tracker.messageSent("a", "text", 1, 1_000_000);
    assertThat(queue().count()).as("and leaves no run open").isEqualTo(302);
  }

  @Test
  void manyThreadsRunningAtOnceLoseNoRecord() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<long[]>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          go.await();
          long count = 0;
          long millis = 0;
          var random = ThreadLocalRandom.current();
          for (int run = 0; run < 500; run++) {
            boolean inRun = random.nextInt(4) != 0;
            if (inRun) {
              tracker.runStarted();
            }
            for (int i = random.nextInt(40); i > 0; i--) {
              long ms = 1 + random.nextInt(50);
              tracker.messageSent("s" + random.nextInt(5), "text", 1, ms * 1_000_000);
              count++;
              millis += ms;
            }
            if (inRun) {
              tracker.runEnded();
            }
          }
          return new long[] {count, millis};
        }));
      }
      go.countDown();
      long count = 0;
      long millis = 0;
      for (Future<long[]> f : done) {
        long[] r = f.get(30, TimeUnit.SECONDS);
        count += r[0];
        millis += r[1];
      }
      assertThat(count).isPositive();
      assertThat(queue().count()).isEqualTo(count);
      assertThat(queue().totalTime(TimeUnit.MILLISECONDS)).isEqualTo((double) millis);
      double sent = 0;
      long sendCount = 0;
      for (int s = 0; s < 5; s++) {
        sent += sent("s" + s, "text");
        sendCount += send("s" + s, "text").count();
      }
      assertThat(sent).as("the sessions' counters").isEqualTo((double) count);
      assertThat(sendCount).as("the sessions' send timers").isEqualTo(count);
    } finally {
      pool.shutdownNow();
    }
  }
}
