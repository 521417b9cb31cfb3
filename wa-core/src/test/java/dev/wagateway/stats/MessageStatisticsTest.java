package dev.wagateway.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Statistics after a simulated scenario, checked against counts computed here from the events. */
class MessageStatisticsTest {
  SimHarness h;
  MessageStatistics stats;

  @AfterEach
  void close() {
    if (stats != null) {
      stats.close();
    }
    if (h != null) {
      h.close();
    }
  }

  long count(String session, MessageStatus status) {
    return h.events(GatewayEvent.MessageStatusChanged.class).stream()
        .filter(e -> (session == null || e.sessionId().equals(session)) && e.status() == status).count();
  }

  /** The exact median of acceptance-to-status latencies, as the test sees them. */
  Duration median(String session, MessageStatus status) {
    List<Long> ms = h.events(GatewayEvent.MessageStatusChanged.class).stream()
        .filter(e -> (session == null || e.sessionId().equals(session)) && e.status() == status)
        .map(e -> Duration.between(e.acceptedAt(), e.timestamp()).toMillis()).sorted().toList();
    return Duration.ofMillis(ms.get((ms.size() - 1) / 2));
  }

  @Test
  void countsRatesAndMediansMatchWhatTheEventsSay() {
    h = new SimHarness(SimulatedConfig.defaults().withReadDelay(Duration.ofSeconds(30)), b -> b
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()).withRetry(RetryPolicy.none())));
    stats = MessageStatistics.attach(h.gateway, h.time.clock());
    h.pair("a", "+49 170 1111111");
    h.pair("b", "+49 170 2222222");
    for (int i = 0; i < 12; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (10000 + i)).text("a" + i).build());
    }
    for (int i = 0; i < 5; i++) {
      h.gateway.send(MessageRequest.builder().session("b").to("+49 170 1111111").text("b" + i).build());
    }
    h.time.advance(Duration.ofSeconds(5));
    h.network.faults("a").failSends(0, 1.0, new Random(5));
    for (int i = 0; i < 3; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+1415555010" + i).text("x").build());
    }
    h.time.advance(Duration.ofMinutes(2));

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      MessageStatistics.Snapshot all = stats.snapshot(Duration.ofHours(1), null);
      assertThat(all.sent()).isEqualTo(count(null, MessageStatus.SENT)).isEqualTo(17);
      assertThat(all.delivered()).isEqualTo(count(null, MessageStatus.DELIVERED)).isEqualTo(17);
      assertThat(all.read()).isEqualTo(count(null, MessageStatus.READ)).isEqualTo(17);
      assertThat(all.deadLettered()).isEqualTo(count(null, MessageStatus.DEAD_LETTERED)).isEqualTo(3);
      assertThat(all.failedAttempts()).isEqualTo(count(null, MessageStatus.FAILED)).isEqualTo(3);
    });
    MessageStatistics.Snapshot a = stats.snapshot(Duration.ofHours(1), "a");
    assertThat(a.sent()).isEqualTo(12);
    assertThat(a.deadLettered()).isEqualTo(3);
    assertThat(a.deliveryRate()).isEqualTo(1.0);
    assertThat(stats.snapshot(Duration.ofHours(1), "b").sent()).isEqualTo(5);
    assertThat(stats.snapshot(Duration.ofHours(1), "nobody").sent()).isZero();
    assertThat(stats.snapshot(Duration.ofHours(1), "nobody").deliveryRate()).isNull();

    // medians: the true median lies in the reported bin, (edge/√2, edge]
    for (MessageStatus s : List.of(MessageStatus.DELIVERED, MessageStatus.READ)) {
      Duration exact = median(null, s);
      MessageStatistics.Snapshot all = stats.snapshot(Duration.ofHours(1), null);
      Duration edge = s == MessageStatus.DELIVERED ? all.medianToDelivered() : all.medianToRead();
      assertThat(edge).as(s + " median bin edge vs exact " + exact).isGreaterThanOrEqualTo(exact);
      assertThat(edge.toMillis() / Math.sqrt(2)).as(s.toString()).isLessThanOrEqualTo(exact.toMillis() + 1);
    }
    assertThat(median(null, MessageStatus.READ)).isGreaterThan(Duration.ofSeconds(30));
  }

  @Test
  void windowsSlide() {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.queue(QueueConfig.defaults().withPacing(PacingPolicy.off())));
    stats = MessageStatistics.attach(h.gateway, h.time.clock());
    h.pair("a", "+49 170 1111111");
    for (int i = 0; i < 4; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (20000 + i)).text("early").build());
    }
    h.time.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.snapshot(Duration.ofMinutes(5), null).read() == 4);
    h.time.advance(Duration.ofMinutes(90)); // the first four leave the hour, not the day
    for (int i = 0; i < 2; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (30000 + i)).text("late").build());
    }
    h.time.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.snapshot(Duration.ofHours(1), null).read() == 2);
    assertThat(stats.snapshot(Duration.ofHours(1), null).sent()).isEqualTo(2);
    assertThat(stats.snapshot(Duration.ofDays(1), null).sent()).isEqualTo(6);
    h.time.advance(Duration.ofHours(25));
    assertThat(stats.snapshot(Duration.ofDays(1), null).sent()).as("a day later").isZero();
    assertThatThrownBy(() -> stats.snapshot(Duration.ofDays(2), null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 minute to 1 day");
  }

  @Test
  void readersOnFourThreadsWhileEventsFlowSeeConsistentCounts() throws Exception {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.queue(QueueConfig.defaults().withPacing(PacingPolicy.off())));
    stats = MessageStatistics.attach(h.gateway, h.time.clock());
    h.pair("a", "+49 170 1111111");
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> problem = new java.util.concurrent.atomic.AtomicReference<>();
    List<Thread> readers = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread r = new Thread(() -> {
        long lastSent = 0;
        while (!stop.get()) {
          try {
            MessageStatistics.Snapshot s = stats.snapshot(Duration.ofHours(1), null);
            // one subscriber sees each message's SENT before its READ: read never passes sent
            if (s.sent() < lastSent || s.read() > s.sent() || s.sent() > 1_000) {
              throw new AssertionError("counts went backwards or past what was sent: " + s);
            }
            lastSent = s.sent();
          } catch (Throwable e) {
            problem.compareAndSet(null, e);
          }
        }
      });
      r.start();
      readers.add(r);
    }
    for (int i = 0; i < 1_000; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009" + (40000 + i)).text("m").build());
      if (i % 100 == 99) {
        h.time.advance(Duration.ofSeconds(2));
      }
    }
    h.time.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> stats.snapshot(Duration.ofHours(1), null).read() == 1_000);
    stop.set(true);
    for (Thread r : readers) {
      r.join();
    }
    assertThat(problem.get()).isNull();
    assertThat(stats.snapshot(Duration.ofHours(1), "a").sent()).isEqualTo(1_000);
  }

  @Test
  void binsAreRootTwoWide() {
    assertThat(MessageStatistics.bin(0)).isZero();
    assertThat(MessageStatistics.bin(99)).isZero();
    assertThat(MessageStatistics.bin(100)).isEqualTo(1);
    assertThat(MessageStatistics.upperEdge(1)).isEqualTo(Duration.ofMillis(141));
    assertThat(MessageStatistics.bin(141)).isEqualTo(1);
    assertThat(MessageStatistics.bin(142)).isEqualTo(2);
    assertThat(MessageStatistics.bin(Long.MAX_VALUE / 2)).isEqualTo(MessageStatistics.BINS - 1);
    for (long ms : new long[] {150, 1_000, 60_000, 3_600_000}) {
      int b = MessageStatistics.bin(ms);
      assertThat(MessageStatistics.upperEdge(b).toMillis()).isGreaterThanOrEqualTo(ms);
      assertThat(MessageStatistics.upperEdge(b - 1).toMillis()).isLessThanOrEqualTo(ms);
    }
  }
}
