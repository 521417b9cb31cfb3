package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.testing.Intercept;
import dev.wagateway.testing.SimHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher brackets each drain in {@link MetricsTracker#runStarted} and
 * {@link MetricsTracker#runEnded} on its thread, so a tracker may hold a drain's records; the
 * brackets pair up, also when a drain fails.
 */
class MetricsRunTest {
  final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger ended = new AtomicInteger();
  final List<Integer> depthAtSend = new CopyOnWriteArrayList<>();

  final MetricsTracker tracker = new MetricsTracker() {
    @Override
    public void runStarted() {
      started.incrementAndGet();
      depth.get()[0]++;
    }

    @Override
    public void runEnded() {
      ended.incrementAndGet();
      depth.get()[0]--;
    }

    @Override
    public void messageSent(String sessionId, String contentType, long sendNanos, long sinceAcceptedNanos) {
      depthAtSend.add(depth.get()[0]);
    }
  };

  @Test
  void eachDrainIsOneRunAndTheAcksThatComeAtOnceAreInside() {
    try (SimHarness h = new SimHarness(SimulatedConfig.instant(), b -> b.metricsTracker(tracker))) {
      h.gateway.sessions().create("a", SessionOptions.defaults());
      for (int i = 0; i < 10; i++) {
        h.gateway.send(MessageRequest.builder().session("a").to("+1415555" + String.format("%04d", i))
            .text("m" + i).build());
      }
      h.time.runPending();
      h.network.scan(h.network.currentQr("a"), "+491701111111");
      h.time.runPending();

      assertThat(depthAtSend).as("an engine that answers at once answers inside the drain").hasSize(10)
          .containsOnly(1);
      assertThat(started.get()).isPositive().isEqualTo(ended.get());
      assertThat(depth.get()[0]).as("the test thread ran the drains; no run is left open").isZero();
    }
  }

  @Test
  void aDrainThatFailsStillEndsItsRun() {
    AtomicInteger claims = new AtomicInteger();
    QueueStore failingOnce = Intercept.around(QueueStore.class, new InMemoryQueueStore(), (method, args) -> {
      if (method.getName().equals("claim") && claims.incrementAndGet() == 1) {
        throw new IllegalStateException("store away");
      }
      return Intercept.PROCEED;
    });
    try (SimHarness h = new SimHarness(SimulatedConfig.instant(), b -> b.metricsTracker(tracker)
        .queueStore(failingOnce))) {
      h.pair("a", "+491701111111");
      h.gateway.send(MessageRequest.builder().session("a").to("+14155550001").text("m").build());
      h.time.advance(java.time.Duration.ofSeconds(2)); // the failed drain retries after a second

      assertThat(claims.get()).isGreaterThan(1);
      assertThat(depthAtSend).hasSize(1);
      assertThat(started.get()).isEqualTo(ended.get());
      assertThat(depth.get()[0]).isZero();
    }
  }
}
