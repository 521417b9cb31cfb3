package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
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
 * proxy that says it does and records the write calls: a drain's first message is marked alone (by
 * the claim itself when pacing lets whatever comes first go), the rest of its batch in one call,
 * and the acceptances that come back at once in one call.
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
      if (method.getName().equals("claimFirstSending")) {
        calls.add("claimFirstSending(held " + new java.util.TreeSet<>((Collection<?>) args[4]) + ")");
      } else if (method.getName().startsWith("mark") || method.getName().equals("claim")
          || method.getName().equals("release")) {
        Object first = args[0];
        calls.add(method.getName() + (first instanceof Collection<?> c ? "(" + c.size() + ")" : ""));
      }
      return Intercept.PROCEED;
    });
  }

  /** Ten messages to distinct recipients queued before the session can send, so one claim takes them all. */
  List<OutboundMessage> queuedBeforePairing() {
    return queuedBeforePairing(PacingPolicy.off());
  }

  List<OutboundMessage> queuedBeforePairing(PacingPolicy pacing) {
    h = new SimHarness(SimulatedConfig.instant(), b -> b.queueStore(batching(new InMemoryQueueStore()))
        .queue(QueueConfig.defaults().withPacing(pacing)));
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
    // the claim marked the first: with pacing off, whatever comes first may go; the claim the
    // completions wake follows a short one, so it expects nothing and is a plain claim
    assertThat(calls).containsExactly("claimFirstSending(held [])", "markSendingAll(9)", "markSentAll(10)",
        "claim");
    assertThat(h.events(GatewayEvent.MessageStatusChanged.class).stream()
        .filter(e -> e.status() == MessageStatus.SENDING).map(GatewayEvent.MessageStatusChanged::messageId))
        .as("one SENDING event a message").containsExactlyInAnyOrderElementsOf(
            sent.stream().map(OutboundMessage::id).toList());
  }

  @Test
  void whenTheFirstMessageIsRefusedAtOnceNothingElseOfTheBatchIsMarked() {
    List<OutboundMessage> sent = queuedBeforePairing();
    h.network.faults("a").rateLimit(1, Duration.ofSeconds(30));
    pair();

    assertThat(calls).as("the claim marked the first; nothing else was marked").noneMatch(c -> c.startsWith("markSending"));
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

  @Test
  void aRecipientInItsGapIsNotMarkedByTheClaimAndWaitsForTheGap() {
    List<OutboundMessage> first = queuedBeforePairing(PacingPolicy.off().withRecipientGap(Duration.ofSeconds(6)));
    pair();
    assertThat(h.gateway.message(first.get(0).id()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    calls.clear();
    String held = first.get(0).to().asString();
    OutboundMessage again = h.gateway.send(MessageRequest.builder().session("a").to(held).text("again").build());
    OutboundMessage other = h.gateway.send(MessageRequest.builder().session("a").to("+14155559999").text("o").build());
    h.time.runPending();

    // the claim carried the ten recipients just sent to: it marked nothing; the held message went back
    assertThat(calls.get(0)).startsWith("claimFirstSending(held [").contains(held);
    assertThat(calls).contains("release", "markSendingAll(1)");
    assertThat(h.gateway.message(other.id()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    MessageInfo waiting = h.gateway.message(again.id()).orElseThrow();
    assertThat(waiting.status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(waiting.attempts()).isZero();

    h.time.advance(Duration.ofSeconds(6));
    MessageInfo info = h.gateway.message(again.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.SENT);
    assertThat(info.attempts()).isEqualTo(1);
    assertThat(info.history()).extracting(StatusLog.Change::status)
        .containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT);
  }

  @Test
  void whenTheRateOrTheNewContactsCapCouldHoldAnyMessageTheClaimMarksNothing() {
    // a burst of 3 at 1/s: the fourth claim finds no token, so it is a plain claim
    List<OutboundMessage> sent = queuedBeforePairing(PacingPolicy.off().withRate(1, 3));
    pair();
    assertThat(calls.stream().filter(c -> c.startsWith("claim")).toList())
        .startsWith("claimFirstSending(held [])").contains("claim");
    h.time.advance(Duration.ofSeconds(10));
    for (OutboundMessage m : sent) {
      MessageInfo info = h.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).as(m.id()).isEqualTo(MessageStatus.SENT);
      assertThat(info.attempts()).as(m.id()).isEqualTo(1);
    }
    h.close();

    calls.clear();
    sent = queuedBeforePairing(PacingPolicy.off().withNewContactsPerDay(2));
    pair();
    // two new contacts a day: once they are used, whether a message may go depends on its recipient
    assertThat(calls.stream().filter(c -> c.startsWith("claim")).toList())
        .startsWith("claimFirstSending(held [])").contains("claim");
    assertThat(sent.stream().filter(m -> h.gateway.message(m.id()).orElseThrow().status() == MessageStatus.SENT))
        .hasSize(2);
  }
}
