package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.testing.Intercept;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's path for a store that prefers batches (wa-jdbc), on the in-memory store behind a
 * proxy that says it does and records the write calls: a drain's first message is marked alone,
 * the rest of its batch in one call, and the acceptances that come back at once in one call.
 */
class BatchedDispatchTest {
  final List<String> calls = new CopyOnWriteArrayList<>();
  SimHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  QueueStore batching(InMemoryQueueStore inner) {
    return Intercept.around(QueueStore.class, inner, (method, args) -> {
      if (method.getName().equals("prefersBatches")) {
        return true;
      }
      if (method.getName().startsWith("mark") || method.getName().equals("claim")
          || method.getName().equals("release")) {
        Object first = args[0];
        calls.add(method.getName() + (first instanceof Collection<?> c ? "(" + c.size() + ")" : ""));
      }
      return Intercept.PROCEED;
    });
  }

  /** Ten messages to distinct recipients queued before the session can send, so one claim takes them all. */
  List<OutboundMessage> queuedBeforePairing() {
    h = new SimHarness(SimulatedConfig.instant(), b -> b.queueStore(batching(new InMemoryQueueStore())));
    h.gateway.sessions().create("a", SessionOptions.defaults());
    List<OutboundMessage> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(h.gateway.send(MessageRequest.builder().session("a").to("+1415555" + String.format("%04d", i))
          .text("m" + i).build()));
    }
    return sent;
  }

  void pair() {
    h.time.runPending();
    h.network.scan(h.network.currentQr("a"), "+491701111111");
    h.time.runPending();
  }

  @Test
  void aBatchIsMarkedInTwoCallsAndItsAcceptancesRecordedInOne() {
    List<OutboundMessage> sent = queuedBeforePairing();
    pair();

    for (OutboundMessage m : sent) {
      MessageInfo info = h.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).as(m.id()).isEqualTo(MessageStatus.SENT);
      assertThat(info.attempts()).isEqualTo(1);
    }
    assertThat(h.network.sendCount()).isEqualTo(10);
    List<String> writes = calls.stream().filter(c -> !c.equals("claim")).toList();
    assertThat(writes).containsExactly("markSendingAll(1)", "markSendingAll(9)", "markSentAll(10)");
  }

  @Test
  void whenTheFirstMessageIsRefusedAtOnceNothingElseOfTheBatchIsMarked() {
    List<OutboundMessage> sent = queuedBeforePairing();
    h.network.faults("a").rateLimit(1, Duration.ofSeconds(30));
    pair();

    assertThat(calls).doesNotContain("markSendingAll(9)");
    assertThat(calls.stream().filter(c -> c.startsWith("markSending")).toList()).containsExactly("markSendingAll(1)");
    for (OutboundMessage m : sent.subList(1, sent.size())) {
      MessageInfo info = h.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).as(m.id()).isEqualTo(MessageStatus.QUEUED);
      assertThat(info.attempts()).as("not tried yet").isZero();
    }

    h.time.advance(Duration.ofSeconds(31));
    for (OutboundMessage m : sent) {
      assertThat(h.gateway.message(m.id()).orElseThrow().status()).as(m.id()).isEqualTo(MessageStatus.SENT);
    }
    assertThat(h.gateway.message(sent.get(0).id()).orElseThrow().attempts()).isEqualTo(2);
    assertThat(h.gateway.message(sent.get(1).id()).orElseThrow().attempts()).isEqualTo(1);
  }
}
