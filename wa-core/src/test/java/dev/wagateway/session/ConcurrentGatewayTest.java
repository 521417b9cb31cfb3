package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.time.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real threads: many callers send through many sessions while connections drop. */
class ConcurrentGatewayTest {

  @Test
  void eightThreadsSendingThroughTenSessionsWhileConnectionsDrop() throws Exception {
    TaskScheduler scheduler = TaskScheduler.system("test", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler,
        SimulatedConfig.defaults().withLatency(Duration.ofMillis(1)).withReadDelay(Duration.ofMillis(5)));
    try (WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine())
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()))
        .reconnectPolicy(ReconnectPolicy.defaults().withLoopDetection(1000, Duration.ofMinutes(1)))
        .build()) {
      ConcurrentLinkedQueue<GatewayEvent.MessageStatusChanged> statusEvents = new ConcurrentLinkedQueue<>();
      gw.events().subscribe(e -> {
        if (e instanceof GatewayEvent.MessageStatusChanged m) {
          statusEvents.add(m);
        }
      }, SubscribeOptions.sync("collect"));
      gw.start();
      int sessions = 10;
      for (int i = 0; i < sessions; i++) {
        String id = "s" + i;
        gw.sessions().create(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> network.currentQr(id) != null);
        network.scan(network.currentQr(id), "+4917000000" + i);
      }
      await().atMost(Duration.ofSeconds(10)).until(() ->
          gw.sessions().list().stream().allMatch(s -> s.state() == SessionState.CONNECTED));

      ConcurrentLinkedQueue<OutboundMessage> sent = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < 500; i++) {
            sent.add(gw.send(MessageRequest.builder().session("s" + ((thread + i) % sessions))
                .to("+1415555" + String.format("%04d", i)).text("t" + thread + " #" + i).build()));
            if (i % 100 == 0 && thread == 0) {
              network.faults("s" + (i / 100)).disconnect();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      assertThat(sent).hasSize(4_000);

      // every accepted message ends READ: sends that raced a dropped connection are retried
      await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(m ->
          gw.message(m.id()).orElseThrow().status() == MessageStatus.READ));
      long read = sent.size();
      long retried = sent.stream().filter(m -> gw.message(m.id()).orElseThrow().attempts() > 1).count();
      // the network saw each message exactly once
      Map<String, Long> perId = network.sentMessages().stream()
          .collect(Collectors.groupingBy(SimulatedNetwork.SentMessage::gatewayMessageId, Collectors.counting()));
      assertThat(perId.values()).allMatch(n -> n == 1);
      assertThat(perId.keySet()).containsAll(sent.stream()
          .filter(m -> gw.message(m.id()).orElseThrow().status() == MessageStatus.READ)
          .map(OutboundMessage::id).toList());
      // per message, the published statuses never go backwards even with threads racing
      Map<String, List<MessageStatus>> byMessage = new ConcurrentHashMap<>();
      for (var e : statusEvents) {
        byMessage.computeIfAbsent(e.messageId(), k -> new ArrayList<>()).add(e.status());
      }
      for (List<MessageStatus> statuses : byMessage.values()) {
        for (int i = 1; i < statuses.size(); i++) {
          MessageStatus a = statuses.get(i - 1);
          MessageStatus b = statuses.get(i);
          boolean retry = a == MessageStatus.FAILED && b == MessageStatus.QUEUED;
          assertThat(a.canAdvanceTo(b) || retry).as("%s then %s", a, b).isTrue();
        }
      }
      System.out.printf("concurrent send: %d READ, %d needed a retry%n", read, retried);
    } finally {
      scheduler.close();
    }
  }
}
