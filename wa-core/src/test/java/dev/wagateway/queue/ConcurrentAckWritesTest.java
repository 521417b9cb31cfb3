package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.testing.Intercept;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher records acceptances in as many {@code markSentAll} calls at once as the store says
 * it takes ({@link QueueStore#concurrentWrites}), never more, and records each acceptance once: a
 * batching store whose {@code markSentAll} takes 5 ms, eight sessions on the scheduler's two threads.
 */
class ConcurrentAckWritesTest {

  @ParameterizedTest(name = "{0} writer(s)")
  @ValueSource(ints = {1, 2})
  void acceptancesAreRecordedByUpToTheStoresWritersAtOnceAndEachOnce(int writers) throws Exception {
    AtomicInteger writing = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<String> recorded = java.util.Collections.synchronizedList(new ArrayList<>());
    InMemoryQueueStore inner = new InMemoryQueueStore();
    QueueStore store = Intercept.around(QueueStore.class, inner, (method, args) -> {
      switch (method.getName()) {
        case "prefersBatches":
          return true;
        case "concurrentWrites":
          return writers;
        case "markSentAll": {
          int now = writing.incrementAndGet();
          mostAtOnce.accumulateAndGet(now, Math::max);
          try {
            Thread.sleep(5);
            List<QueueStore.Ack> acks = castAcks(args[0]);
            acks.forEach(a -> recorded.add(a.id()));
            return inner.markSentAll(acks);
          } finally {
            writing.decrementAndGet();
          }
        }
        default:
          return Intercept.PROCEED;
      }
    });
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off());
    QueueConcurrencyTest.withGateway(SimulatedConfig.instant(), queue, 8, b -> b.queueStore(store), (gw, network) -> {
      List<OutboundMessage> sent = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        sent.add(gw.send(MessageRequest.builder().session("s" + (i % 8))
            .to("+1415555" + String.format("%04d", i)).text("m" + i).build()));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> sent.stream()
          .allMatch(m -> gw.message(m.id()).orElseThrow().status() == MessageStatus.SENT));

      assertThat(network.sendCount()).isEqualTo(400);
      assertThat(recorded).as("each acceptance recorded once").doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(sent.stream().map(OutboundMessage::id).toList());
      assertThat(mostAtOnce.get()).as("markSentAll calls running at once").isEqualTo(writers);
    });
  }

  @SuppressWarnings("unchecked")
  private static List<QueueStore.Ack> castAcks(Object acks) {
    return (List<QueueStore.Ack>) acks;
  }
}
