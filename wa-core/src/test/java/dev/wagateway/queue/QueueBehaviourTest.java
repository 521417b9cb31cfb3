package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.QueueFullException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork.SentMessage;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue through the gateway, on virtual time. */
class QueueBehaviourTest {
  static final String ALICE = "+49 170 1111111";
  SimHarness h;

  SimHarness harness(UnaryOperator<QueueConfig> queue) {
    return harness(SimulatedConfig.defaults(), queue);
  }

  SimHarness harness(SimulatedConfig sim, UnaryOperator<QueueConfig> queue) {
    h = new SimHarness(sim, b -> b.queue(queue.apply(QueueConfig.defaults().withPacing(PacingPolicy.off()))));
    return h;
  }

  /** One send in flight: a pause can only hold what is not yet handed to the engine. */
  SimHarness sequential(UnaryOperator<QueueConfig> queue) {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.maxInFlightPerSession(1)
        .queue(queue.apply(QueueConfig.defaults().withPacing(PacingPolicy.off()))));
    return h;
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  OutboundMessage send(String to, String text) {
    return h.gateway.send(MessageRequest.builder().session("a").to(to).text(text).build());
  }

  static String recipient(int i) {
    return "+1415555" + String.format("%04d", i);
  }

  @Test
  void tokenBucketAndRecipientGapHoldOnVirtualTime() {
    harness(q -> q.withPacing(PacingPolicy.defaults().withRate(2, 4).withRecipientGap(Duration.ofSeconds(6))));
    h.pair("a", ALICE);
    Instant start = h.time.now();
    for (int i = 0; i < 20; i++) {
      send(recipient(i % 5), "m" + i); // 5 recipients, 4 messages each
    }
    h.time.advance(Duration.ofMinutes(2));
    List<SentMessage> sent = h.network.sentMessages();
    assertThat(sent).hasSize(20);
    // token bucket: at most burst + rate * t messages within the first t seconds, at every t
    for (SentMessage s : sent) {
      long inWindow = sent.stream().filter(x -> !x.at().isAfter(s.at())).count();
      double t = Duration.between(start, s.at()).toNanos() / 1e9;
      assertThat((double) inWindow).as("sends by %.3fs", t).isLessThanOrEqualTo(4 + 2 * t + 1e-9);
    }
    // recipient gap: consecutive sends to one recipient are at least 6 s apart, in order
    Map<String, List<SentMessage>> byRecipient = sent.stream()
        .collect(Collectors.groupingBy(s -> s.to().asString()));
    for (List<SentMessage> l : byRecipient.values()) {
      for (int i = 1; i < l.size(); i++) {
        assertThat(Duration.between(l.get(i - 1).at(), l.get(i).at()))
            .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
      }
    }
    // with 4 messages per recipient and a 6 s gap the last one goes at 18 s at the earliest
    assertThat(Duration.between(start, sent.get(19).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(18));
    assertThat(h.gateway.queueStats().rateLimitHits()).containsKeys("session_rate", "recipient_gap");
  }

  @Test
  void transientFailuresEndSentPermanentOnesAreDeadLetteredAndReplaySendsThem() {
    harness(q -> q.withRetry(RetryPolicy.defaults().withMaxAttempts(8)));
    h.pair("a", ALICE);
    h.network.faults("a").failSends(0.30, 0.05, new Random(42));
    List<OutboundMessage> sent = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      sent.add(send(recipient(i), "m" + i));
    }
    h.time.advance(Duration.ofHours(1));
    Map<MessageStatus, List<MessageInfo>> byStatus = sent.stream()
        .map(m -> h.gateway.message(m.id()).orElseThrow()).collect(Collectors.groupingBy(MessageInfo::status));
    List<MessageInfo> dead = byStatus.getOrDefault(MessageStatus.DEAD_LETTERED, List.of());
    List<MessageInfo> read = byStatus.getOrDefault(MessageStatus.READ, List.of());
    assertThat(read.size() + dead.size()).isEqualTo(1_000);
    assertThat(dead).allSatisfy(d -> assertThat(d.lastFailure().type()).isEqualTo(FailureType.PERMANENT));
    // about 5% permanent at each attempt of 1.45 attempts on average: 40 to 100
    assertThat(dead.size()).isBetween(40, 110);
    assertThat(read.stream().filter(r -> r.attempts() > 1).count()).as("retried and then sent").isGreaterThan(200);
    assertThat(h.gateway.deadLetters().list(DeadLetterFilter.all().limit(1_000))).hasSize(dead.size());

    h.network.faults("a").clear();
    assertThat(h.gateway.deadLetters().replayAll(DeadLetterFilter.all().limit(1_000))).isEqualTo(dead.size());
    h.time.advance(Duration.ofMinutes(1));
    assertThat(dead).allSatisfy(d ->
        assertThat(h.gateway.message(d.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ));
    assertThat(h.gateway.deadLetters().list(DeadLetterFilter.all())).isEmpty();
    // the engine saw every message exactly once as a successful send (failed attempts count too)
    Map<String, Long> perId = h.network.sentMessages().stream()
        .collect(Collectors.groupingBy(SentMessage::gatewayMessageId, Collectors.counting()));
    assertThat(perId).hasSize(1_000).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void rateLimitAnswersPauseTheSessionAndHonourRetryAfter() {
    sequential(q -> q);
    h.pair("a", ALICE);
    h.network.faults("a").rateLimit(1, Duration.ofSeconds(30));
    OutboundMessage m = send(recipient(1), "x");
    OutboundMessage other = send(recipient(2), "y");
    h.time.advance(Duration.ofSeconds(29));
    assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(h.gateway.message(other.id()).orElseThrow().status())
        .as("the whole session waits, not just the message").isEqualTo(MessageStatus.QUEUED);
    assertThat(h.gateway.queueStats().pausedSessions()).containsExactly("a");
    h.time.advance(Duration.ofSeconds(5));
    assertThat(h.gateway.message(m.id()).orElseThrow().status().isAccepted()).isTrue();
    assertThat(h.gateway.message(other.id()).orElseThrow().status().isAccepted()).isTrue();
    assertThat(h.events(GatewayEvent.SendingPaused.class, "a")).hasSize(1)
        .first().satisfies(p -> assertThat(p.reason()).contains("rate limited"));
    assertThat(h.events(GatewayEvent.SendingResumed.class, "a")).hasSize(1);
    assertThat(h.gateway.queueStats().rateLimitHits()).containsEntry("engine", 1L);
  }

  @Test
  void consecutiveFailuresTripTheBreaker() {
    sequential(q -> q.withPacing(PacingPolicy.off().withBreaker(5, Duration.ofMinutes(2)))
        .withRetry(RetryPolicy.none()));
    h.pair("a", ALICE);
    h.network.faults("a").failSends(0, 1.0, new Random(1));
    for (int i = 0; i < 20; i++) {
      send(recipient(i), "x");
    }
    h.time.advance(Duration.ofSeconds(10));
    assertThat(h.gateway.deadLetters().list(DeadLetterFilter.all().limit(100))).hasSize(5);
    assertThat(h.gateway.queueStats().pausedSessions()).containsExactly("a");
    var paused = h.events(GatewayEvent.SendingPaused.class, "a");
    assertThat(paused).hasSize(1);
    assertThat(paused.get(0).reason()).isEqualTo("5 consecutive send failures");
    h.network.faults("a").clear();
    h.time.advance(Duration.ofMinutes(3));
    assertThat(h.events(GatewayEvent.SendingResumed.class, "a")).hasSize(1);
    assertThat(h.gateway.queueStats().total()).isEqualTo(new QueueCounts(0, 0, 5));
    assertThat(h.network.sendCount()).as("the 15 held back went out after the pause").isEqualTo(15);
  }

  @Test
  void warmUpCapsDailySendsOfANewNumber() {
    harness(q -> q.withPacing(PacingPolicy.off().withWarmUp(new PacingPolicy.WarmUp(10, 2.0, 100))));
    h.pair("a", ALICE);
    for (int i = 0; i < 40; i++) {
      send(recipient(i), "x");
    }
    h.time.advance(Duration.ofHours(23));
    assertThat(h.network.sendCount()).isEqualTo(10);
    h.time.advance(Duration.ofHours(2)); // day 1: 20 more
    assertThat(h.network.sendCount()).isEqualTo(30);
    h.time.advance(Duration.ofDays(1)); // day 2: 40 allowed
    assertThat(h.network.sendCount()).isEqualTo(40);
    assertThat(h.gateway.queueStats().rateLimitHits()).containsKey("warm_up");
  }

  @Test
  void newContactsPerDayAreCapped() {
    harness(q -> q.withPacing(PacingPolicy.off().withNewContactsPerDay(3)));
    h.pair("a", ALICE);
    for (int i = 0; i < 5; i++) {
      send(recipient(i), "first");
    }
    for (int i = 0; i < 3; i++) {
      send(recipient(i), "again"); // known contacts are not capped
    }
    h.time.advance(Duration.ofHours(1));
    assertThat(h.network.sendCount()).isEqualTo(6);
    h.time.advance(Duration.ofDays(1));
    assertThat(h.network.sendCount()).isEqualTo(8);
  }

  @Test
  void cancelStopsAWaitingMessage() {
    harness(q -> q);
    h.pair("a", ALICE);
    OutboundMessage later = h.gateway.send(MessageRequest.builder().session("a").to(recipient(1)).text("x")
        .notBefore(h.time.now().plus(Duration.ofMinutes(10))).build());
    assertThat(h.gateway.cancel(later.id())).isTrue();
    assertThat(h.gateway.cancel(later.id())).isFalse();
    assertThat(h.gateway.cancel("msg_unknown")).isFalse();
    h.time.advance(Duration.ofMinutes(20));
    assertThat(h.network.sendCount()).isZero();
    MessageInfo info = h.gateway.message(later.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(info.lastFailure().type()).isEqualTo(FailureType.CANCELLED);
  }

  @Test
  void deletingASessionCancelsItsWaitingMessagesAndFreesTheirSlots() {
    harness(q -> q.withMaxQueued(3, QueueConfig.Overflow.REJECT, Duration.ZERO));
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    List<OutboundMessage> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(send(recipient(i), "x"));
    }
    assertThat(h.gateway.sessions().delete("a")).isTrue();
    assertThat(waiting).allSatisfy(m -> {
      MessageInfo info = h.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).isEqualTo(MessageStatus.FAILED);
      assertThat(info.lastFailure().type()).isEqualTo(FailureType.CANCELLED);
    });
    h.pair("b", "+44 7700 900222");
    for (int i = 0; i < 3; i++) { // the three slots are free again
      h.gateway.send(MessageRequest.builder().session("b").to(recipient(i)).text("y").build());
    }
    assertThat(h.gateway.queueStats().bySession()).doesNotContainKey("a");
  }

  @Test
  void aFullQueueRejectsClearlyAndEveryAcceptedMessageIsStillSent() {
    harness(q -> q.withMaxQueued(50, QueueConfig.Overflow.REJECT, Duration.ZERO));
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    List<OutboundMessage> accepted = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      accepted.add(send(recipient(i), "x"));
    }
    assertThatThrownBy(() -> send(recipient(99), "one too many"))
        .isInstanceOf(QueueFullException.class).hasMessageContaining("full (50 messages");
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(10));
    assertThat(accepted).allSatisfy(m ->
        assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ));
    send(recipient(99), "room again"); // slots came back
  }

  @Test
  void idempotentSendsReturnTheOriginal() {
    harness(q -> q);
    h.pair("a", ALICE);
    OutboundMessage first = h.gateway.send(MessageRequest.builder().session("a").to(recipient(1)).text("x")
        .idempotencyKey("order-7").build());
    OutboundMessage second = h.gateway.send(MessageRequest.builder().session("a").to(recipient(1)).text("x")
        .idempotencyKey("order-7").build());
    assertThat(second.id()).isEqualTo(first.id());
    h.time.advance(Duration.ofSeconds(5));
    assertThat(h.network.sendCount()).isEqualTo(1);
  }

  @Test
  void historyAndStatsAreReadable() {
    harness(q -> q);
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    OutboundMessage m = send(recipient(1), "x");
    send(recipient(2), "y");
    assertThat(h.gateway.queueStats().bySession()).containsEntry("a", new QueueCounts(2, 0, 0));
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(5));
    MessageInfo info = h.gateway.message(m.id()).orElseThrow();
    assertThat(info.history()).extracting(c -> c.status()).containsExactly(MessageStatus.QUEUED,
        MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
    assertThat(info.history()).extracting(c -> c.at()).isSorted();
    assertThat(h.gateway.queueStats().sent()).isEqualTo(2);
    assertThat(h.gateway.queueStats().total()).isEqualTo(QueueCounts.ZERO);
    assertThat(h.gateway.queueStats().recentDispatchLag()).isPositive();
  }
}
