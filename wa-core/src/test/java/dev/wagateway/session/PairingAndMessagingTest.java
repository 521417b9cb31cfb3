package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.SessionAlreadyExistsException;
import dev.wagateway.SessionLimitExceededException;
import dev.wagateway.SessionNotFoundException;
import dev.wagateway.ValidationException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.GatewayEvent.MessageReceived;
import dev.wagateway.event.GatewayEvent.MessageStatusChanged;
import dev.wagateway.event.GatewayEvent.QrCodeIssued;
import dev.wagateway.event.GatewayEvent.SessionStateChanged;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.Priority;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PairingAndMessagingTest {
  static final String ALICE = "+49 170 1111111";
  static final String BOB = "+44 7700 900222";

  SimHarness h = new SimHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void qrPairingShowsRefreshingCodesThenConnects() {
    h.gateway.sessions().create("a", SessionOptions.defaults());
    h.time.advance(Duration.ofSeconds(45)); // 20 s per code: the first, second and third code
    List<QrCodeIssued> qrs = h.events(QrCodeIssued.class, "a");
    assertThat(qrs).hasSize(3);
    assertThat(qrs).extracting(QrCodeIssued::code).doesNotHaveDuplicates();
    // an expired code no longer links
    assertThatThrownBy(() -> h.network.scan(qrs.get(0).code(), ALICE))
        .isInstanceOf(IllegalArgumentException.class);
    h.network.scan(qrs.get(2).code(), ALICE);
    h.time.runPending();
    SessionInfo info = h.gateway.sessions().require("a");
    assertThat(info.state()).isEqualTo(SessionState.CONNECTED);
    assertThat(info.self()).isEqualTo(Jid.ofPhone(ALICE));
    assertThat(h.events(SessionStateChanged.class, "a")).extracting(SessionStateChanged::to)
        .containsExactly(SessionState.STARTING, SessionState.PAIRING, SessionState.CONNECTING,
            SessionState.CONNECTED);
    assertThat(h.events(GatewayEvent.SessionPaired.class, "a")).hasSize(1);
  }

  @Test
  void unscannedQrTimesOutToFailedWithAReason() {
    h.gateway.sessions().create("a", SessionOptions.defaults());
    h.time.advance(Duration.ofMinutes(3));
    SessionInfo info = h.gateway.sessions().require("a");
    assertThat(info.state()).isEqualTo(SessionState.FAILED);
    assertThat(info.reason()).contains("pairing timed out");
    assertThat(h.events(QrCodeIssued.class, "a")).hasSize(SimulatedConfig.defaults().qrRefreshes());
  }

  @Test
  void pairingByPhoneCode() {
    h.gateway.sessions().create("a", SessionOptions.defaults().withPairing(PairingMethod.phoneCode(ALICE)));
    h.time.advance(Duration.ofSeconds(1));
    var code = h.events(GatewayEvent.PairingCodeIssued.class, "a");
    assertThat(code).hasSize(1);
    assertThat(code.get(0).code()).matches("[A-Z0-9]{4}-[A-Z0-9]{4}");
    assertThatThrownBy(() -> h.network.enterPairingCode(BOB, code.get(0).code()))
        .as("the code only works on the phone it was issued for")
        .isInstanceOf(IllegalArgumentException.class);
    h.network.enterPairingCode(ALICE, code.get(0).code());
    h.time.runPending();
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
  }

  @Test
  void restartKeepsCredentialsAndSkipsPairing() {
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    assertThat(h.state("a")).isEqualTo(SessionState.STOPPED);
    int qrsBefore = h.events(QrCodeIssued.class).size();
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
    assertThat(h.events(QrCodeIssued.class)).hasSize(qrsBefore);
  }

  @Test
  void twoSessionsExchangeAThousandMessagesAllReachReadAndNoneMovesBackwards() {
    h.pair("a", ALICE);
    h.pair("b", BOB);
    List<OutboundMessage> sent = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      boolean fromA = i % 2 == 0;
      sent.add(h.gateway.send(MessageRequest.builder().session(fromA ? "a" : "b")
          .to(fromA ? BOB : ALICE).text("message " + i).build()));
      if (i % 50 == 0) {
        h.time.advance(Duration.ofMillis(7)); // interleave sends with acks and receipts
      }
    }
    // Per recipient one message is in flight at a time (order is kept even across retries), so
    // 500 messages to one peer take 500 round trips of 20 ms.
    h.time.advance(Duration.ofSeconds(15));

    for (OutboundMessage m : sent) {
      assertThat(h.gateway.message(m.id()).orElseThrow().status()).as(m.id()).isEqualTo(MessageStatus.READ);
    }
    // every message's events, in publication order, only move forward
    Map<String, List<MessageStatus>> byMessage = new HashMap<>();
    for (MessageStatusChanged e : h.events(MessageStatusChanged.class)) {
      byMessage.computeIfAbsent(e.messageId(), k -> new ArrayList<>()).add(e.status());
    }
    assertThat(byMessage).hasSize(1_000);
    for (List<MessageStatus> statuses : byMessage.values()) {
      assertThat(statuses).containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING,
          MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
    }
    // each side received the other's 500 messages exactly once, in order, on the engine and as events
    assertThat(h.network.sendCount()).isEqualTo(1_000);
    List<MessageReceived> atB = h.events(MessageReceived.class, "b");
    List<MessageReceived> atA = h.events(MessageReceived.class, "a");
    assertThat(atB).hasSize(500);
    assertThat(atA).hasSize(500);
    assertThat(atB).extracting(e -> ((MessageContent.Text) e.message().content()).body())
        .containsExactlyElementsOf(sent.stream().filter(m -> m.sessionId().equals("a"))
            .map(m -> ((MessageContent.Text) m.content()).body()).collect(Collectors.toList()));
    assertThat(atB.get(0).message().sender()).isEqualTo(Jid.ofPhone(ALICE));
  }

  @Test
  void voiceNotesReachPlayed() {
    h.pair("a", ALICE);
    var audio = new MessageContent.Audio(dev.wagateway.message.MediaSource.bytes(
        "OggS\0\2 an opus voice note".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "audio/ogg"), true);
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("a").to(BOB).content(audio).build());
    h.time.advance(Duration.ofSeconds(5));
    assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.PLAYED);
  }

  @Test
  void messagesWaitWhileDisconnectedAndGoOutAfterReconnect() {
    h.pair("a", ALICE);
    h.network.faults("a").refuseConnects(2);
    h.network.faults("a").disconnect();
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("a").to(BOB).text("later").build());
    h.time.advance(Duration.ofMillis(500));
    assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    h.time.advance(Duration.ofSeconds(30));
    assertThat(h.state("a")).isEqualTo(SessionState.CONNECTED);
    assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void priorityGoesFirstAcrossRecipientsAndFifoHoldsPerRecipient() {
    h.pair("a", ALICE);
    h.gateway.sessions().stop("a");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(h.gateway.send(MessageRequest.builder().session("a").to(BOB).text("low " + i)
          .priority(Priority.LOW).build()).id());
    }
    String urgent = h.gateway.send(MessageRequest.builder().session("a").to("+1 415 555 0100").text("otp")
        .priority(Priority.HIGH).build()).id();
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    List<String> order = h.network.sentMessages().stream().map(s -> s.gatewayMessageId()).toList();
    assertThat(order.get(0)).isEqualTo(urgent);
    assertThat(order.subList(1, 6)).containsExactlyElementsOf(ids);
  }

  @Test
  void scheduledSendsWaitForNotBeforeAndExpiredOnesFail() {
    h.pair("a", ALICE);
    var later = h.gateway.send(MessageRequest.builder().session("a").to(BOB).text("at nine")
        .notBefore(h.time.now().plus(Duration.ofHours(1))).build());
    h.time.advance(Duration.ofMinutes(59));
    assertThat(h.network.sendCount()).isZero();
    h.time.advance(Duration.ofMinutes(2));
    assertThat(h.gateway.message(later.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ);

    h.gateway.sessions().stop("a");
    var expiring = h.gateway.send(MessageRequest.builder().session("a").to(BOB).text("stale")
        .expiresAt(h.time.now().plus(Duration.ofMinutes(1))).build());
    h.time.advance(Duration.ofMinutes(2));
    h.gateway.sessions().start("a");
    h.time.advance(Duration.ofSeconds(1));
    var info = h.gateway.message(expiring.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.DEAD_LETTERED);
    assertThat(info.attempts()).as("never handed to the engine").isZero();
    assertThat(info.lastFailure().type()).isEqualTo(dev.wagateway.message.FailureType.EXPIRED);
  }

  @Test
  void aSwallowedSendTimesOutAndIsRetried() {
    SimHarness fast = new SimHarness(SimulatedConfig.defaults(), b -> b.sendTimeout(Duration.ofSeconds(5)));
    try {
      fast.pair("a", ALICE);
      fast.network.faults("a").dropSends(1);
      var m = fast.gateway.send(MessageRequest.builder().session("a").to(BOB).text("lost").build());
      fast.time.advance(Duration.ofSeconds(4));
      assertThat(fast.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.SENDING);
      fast.time.advance(Duration.ofSeconds(2));
      var info = fast.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).isEqualTo(MessageStatus.QUEUED);
      assertThat(info.lastFailure().code()).isEqualTo("timeout");
      fast.time.advance(Duration.ofSeconds(10));
      info = fast.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).isEqualTo(MessageStatus.READ);
      assertThat(info.attempts()).isEqualTo(2);
      assertThat(info.history()).extracting(c -> c.status()).containsExactly(MessageStatus.QUEUED,
          MessageStatus.SENDING, MessageStatus.FAILED, MessageStatus.QUEUED, MessageStatus.SENDING,
          MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
    } finally {
      fast.close();
    }
  }

  @Test
  void unknownRecipientsOnAClosedNetworkFailAsRecipientInvalid() {
    SimHarness closed = new SimHarness(SimulatedConfig.defaults().withOpenNetwork(false), b -> {});
    try {
      closed.pair("a", ALICE);
      var m = closed.gateway.send(MessageRequest.builder().session("a").to("+1 415 555 0100").text("hi").build());
      closed.time.advance(Duration.ofSeconds(1));
      var info = closed.gateway.message(m.id()).orElseThrow();
      assertThat(info.status()).as("permanent: no retry").isEqualTo(MessageStatus.DEAD_LETTERED);
      assertThat(info.attempts()).isEqualTo(1);
      assertThat(info.lastFailure().type()).isEqualTo(dev.wagateway.message.FailureType.RECIPIENT_INVALID);
    } finally {
      closed.close();
    }
  }

  @Test
  void registryRulesAreEnforcedWithClearErrors() {
    SimHarness small = new SimHarness(SimulatedConfig.defaults(), b -> b.maxSessions(2));
    try {
      small.gateway.sessions().create("a");
      assertThatThrownBy(() -> small.gateway.sessions().create("a"))
          .isInstanceOf(SessionAlreadyExistsException.class);
      small.gateway.sessions().create("b");
      assertThatThrownBy(() -> small.gateway.sessions().create("c"))
          .isInstanceOf(SessionLimitExceededException.class).hasMessageContaining("maximum of 2");
      assertThatThrownBy(() -> small.gateway.sessions().create("no spaces"))
          .isInstanceOf(ValidationException.class).hasMessageStartingWith("sessionId:");
      assertThatThrownBy(() -> small.gateway.sessions().start("zzz"))
          .isInstanceOf(SessionNotFoundException.class).hasMessageContaining("'zzz'");
      assertThatThrownBy(() -> small.gateway.send(MessageRequest.builder().session("zzz").to(BOB).text("x").build()))
          .isInstanceOf(SessionNotFoundException.class);
      assertThat(small.gateway.sessions().delete("a")).isTrue();
      assertThat(small.gateway.sessions().delete("a")).isFalse();
      small.gateway.sessions().create("c");
      assertThat(small.gateway.sessions().list()).extracting(SessionInfo::id).containsExactly("b", "c");
    } finally {
      small.close();
    }
  }
}
