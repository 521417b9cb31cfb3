package dev.wagateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The timers keep one max slot (WaGatewayMetrics.Slos): the max covers the time since the last
 * rotation, every 2 minutes, instead of Micrometer's rolling window of three slots.
 */
class TimerMaxTest {
  @Test
  void theMaxCoversTheTimeSinceTheLastRotation() {
    MockClock clock = new MockClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    try (WaGatewayMetrics metrics = new WaGatewayMetrics()) {
      metrics.bindTo(registry);
      metrics.tracker().messageSent("a", "text", 1_000_000, 1_000_000); // the session's timer starts at 0:00
      clock.add(Duration.ofSeconds(110));
      metrics.tracker().messageSent("a", "text", 5_000_000, 9_000_000);
      Timer send = registry.find(WaMetricNames.MESSAGE_SEND_DURATION).tags("session", "a").timer();
      Timer queue = registry.find(WaMetricNames.QUEUE_PROCESSING_DURATION).timer();
      assertThat(send.max(TimeUnit.MILLISECONDS)).isEqualTo(5);
      assertThat(queue.max(TimeUnit.MILLISECONDS)).isEqualTo(9);

      clock.add(Duration.ofSeconds(9)); // 1:59, before the rotation
      assertThat(send.max(TimeUnit.MILLISECONDS)).isEqualTo(5);

      // 2:01: three slots would still hold the record (it is 11 s old); one slot rotated at 2:00
      clock.add(Duration.ofSeconds(2));
      assertThat(send.max(TimeUnit.MILLISECONDS)).isZero();
      assertThat(queue.max(TimeUnit.MILLISECONDS)).isZero();
      assertThat(send.count()).as("count and total are cumulative, not windowed").isEqualTo(2);
      assertThat(send.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
    }
  }
}
