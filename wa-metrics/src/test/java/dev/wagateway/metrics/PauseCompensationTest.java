package dev.wagateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.pause.ClockDriftPauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway's timers count what was recorded, also across a JVM pause. Micrometer's default pause
 * detector adds synthetic samples to a timer after a pause, so its count would exceed the messages it
 * timed; the gateway's timers are built without it, whatever the registry's default detector is.
 */
class PauseCompensationTest {
  @Test
  void aPauseAddsNoSampleToTheGatewaysTimers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // a detector that takes any stall of 1 ms for a pause; a timer of the registry's own shows it working
    registry.config().pauseDetector(new ClockDriftPauseDetector(Duration.ofMillis(1), Duration.ofMillis(1)));
    Timer control = Timer.builder("control").register(registry);
    try (WaGatewayMetrics metrics = new WaGatewayMetrics()) {
      metrics.bindTo(registry);
      long recorded = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // a full collection stops every thread, the detector's too; until the control timer has
      // compensated for one, record and pause again
      while (control.count() <= recorded && System.nanoTime() < deadline) {
        for (int i = 0; i < 50; i++) {
          control.record(1, TimeUnit.MILLISECONDS);
          metrics.tracker().messageSent("a", "text", 1_000_000, 2_000_000);
          metrics.tracker().dispatchLag(3_000_000);
          recorded++;
          Thread.sleep(0, 200_000);
        }
        byte[][] garbage = new byte[2_000][];
        for (int i = 0; i < garbage.length; i++) {
          garbage[i] = new byte[4_096];
        }
        System.gc();
        Thread.sleep(20);
      }
      assertThat(control.count()).as("the registry's default timer compensated for a pause (else this test shows nothing)")
          .isGreaterThan(recorded);
      Timer send = registry.find(WaMetricNames.MESSAGE_SEND_DURATION).tags("session", "a").timer();
      Timer queue = registry.find(WaMetricNames.QUEUE_PROCESSING_DURATION).timer();
      Timer lag = registry.find(WaMetricNames.DISPATCH_LAG).timer();
      assertThat(send.count()).isEqualTo(recorded);
      assertThat(send.totalTime(TimeUnit.MILLISECONDS)).isEqualTo((double) recorded);
      assertThat(queue.count()).isEqualTo(recorded);
      assertThat(lag.count()).isEqualTo(recorded);
      assertThat(registry.find(WaMetricNames.MESSAGES_SENT).counter().count()).isEqualTo((double) recorded);
    }
  }
}
