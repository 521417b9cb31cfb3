package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagateway.QueueFullException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.engine.simulated.SimulatedNetwork.SentMessage;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The queue under real threads. */
class QueueConcurrencyTest {

  interface Body {
    void run(WaGateway gw, SimulatedNetwork network) throws Exception;
  }

  static void withGateway(SimulatedConfig sim, QueueConfig queue, int sessions, Body body) throws Exception {
    withGateway(sim, queue, sessions, b -> {}, body);
  }

  static void withGateway(SimulatedConfig sim, QueueConfig queue, int sessions,
      Consumer<dev.wagateway.WaGatewayBuilder> custom, Body body) throws Exception {
    TaskScheduler scheduler = TaskScheduler.system("queue-test", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler, sim);
    var builder = WaGateway.builder().scheduler(scheduler).engine(network.engine()).queue(queue);
    custom.accept(builder);
    try (WaGateway gw = builder.build()) {
      gw.start();
      for (int i = 0; i < sessions; i++) {
        String id = "s" + i;
        gw.sessions().create(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> network.currentQr(id) != null);
        network.scan(network.currentQr(id), "+4917100" + String.format("%05d", i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() ->
          gw.sessions().list().stream().allMatch(s -> s.state() == SessionState.CONNECTED));
      body.run(gw, network);
    } finally {
      scheduler.close();
    }
  }

  @Test
  void hundredThousandMessagesOverFiftySessionsAreSentExactlyOnceInOrderPerRecipient() throws Exception {
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off())
        .withMaxQueued(200_000, QueueConfig.Overflow.REJECT, Duration.ZERO);
    withGateway(SimulatedConfig.instant().withLatency(Duration.ofMillis(1)), queue, 50, (gw, network) -> {
      int producers = 4;
      int perProducer = 25_000;
      Map<String, List<String>> expectedOrder = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(producers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      long start = System.nanoTime();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        fs.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perProducer; i++) {
            String session = "s" + (i % 50);
            // each producer has its own recipients, so per-recipient order is the producer's order
            String to = "+1415" + producer + String.format("%06d", i % 400);
            OutboundMessage m = gw.send(MessageRequest.builder().session(session).to(to).text("m").build());
            expectedOrder.computeIfAbsent(session + "|" + m.to().asString(), k -> new ArrayList<>()).add(m.id());
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
          .until(() -> network.sendCount() >= 100_000 && gw.queueStats().total().waiting() == 0
              && gw.queueStats().total().active() == 0);
      double seconds = (System.nanoTime() - start) / 1e9;

      List<SentMessage> sent = network.sentMessages();
      assertThat(sent).hasSize(100_000);
      Map<String, List<String>> actualOrder = new HashMap<>();
      Set<String> ids = ConcurrentHashMap.newKeySet();
      for (SentMessage s : sent) {
        assertThat(ids.add(s.gatewayMessageId())).as("sent once: %s", s.gatewayMessageId()).isTrue();
        actualOrder.computeIfAbsent(s.sessionId() + "|" + s.to().asString(), k -> new ArrayList<>())
            .add(s.gatewayMessageId());
      }
      assertThat(actualOrder).isEqualTo(expectedOrder);
      assertThat(gw.queueStats().sent()).isEqualTo(100_000);
      System.out.printf("100k over 50 sessions: %.1f s end to end (%.0f msg/s in this test)%n",
          seconds, 100_000 / seconds);
    });
  }

  @Test
  void eightThreadsWithOneIdempotencyKeySendOnce() throws Exception {
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off());
    withGateway(SimulatedConfig.defaults(), queue, 1, (gw, network) -> {
      for (int round = 0; round < 20; round++) {
        String key = "invoice-" + round;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          fs.add(pool.submit(() -> {
            go.await();
            return gw.send(MessageRequest.builder().session("s0").to("+14155550100").text("pay")
                .idempotencyKey(key).build()).id();
          }));
        }
        go.countDown();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (Future<String> f : fs) {
          ids.add(f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        assertThat(ids).as("round %d", round).hasSize(1);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> network.sendCount() == 20);
      Thread.sleep(200);
      assertThat(network.sendCount()).isEqualTo(20);
    });
  }

  @Test
  void aBlockingFullQueueWaitsForRoomAndLosesNothing() throws Exception {
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off())
        .withMaxQueued(20, QueueConfig.Overflow.BLOCK, Duration.ofSeconds(30));
    withGateway(SimulatedConfig.defaults().withLatency(Duration.ofMillis(5)), queue, 1, b -> b.maxInFlightPerSession(4), (gw, network) -> {
      ConcurrentLinkedQueue<OutboundMessage> accepted = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            accepted.add(gw.send(MessageRequest.builder().session("s0")
                .to("+1415" + thread + String.format("%06d", i)).text("x").build()));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      assertThat(accepted).hasSize(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> accepted.stream().allMatch(m ->
          gw.message(m.id()).orElseThrow().status().isAccepted()));
      assertThat(network.sendCount()).isEqualTo(200);
    });
  }

  @Test
  void aBlockingQueueGivesUpAfterItsTimeoutWithAClearError() throws Exception {
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off())
        .withMaxQueued(2, QueueConfig.Overflow.BLOCK, Duration.ofMillis(200));
    withGateway(SimulatedConfig.defaults(), queue, 1, (gw, network) -> {
      gw.sessions().stop("s0");
      gw.send(MessageRequest.builder().session("s0").to("+14155550100").text("1").build());
      gw.send(MessageRequest.builder().session("s0").to("+14155550101").text("2").build());
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> gw.send(MessageRequest.builder().session("s0").to("+14155550102").text("3").build()))
          .isInstanceOf(QueueFullException.class).hasMessageContaining("stayed full for PT0.2S");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(190);
      gw.sessions().start("s0");
      await().atMost(Duration.ofSeconds(10)).until(() -> network.sendCount() == 2);
      assertThat(gw.queueStats().total()).isEqualTo(QueueCounts.ZERO);
    });
  }
}
