package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.cloudapi.FakeGraph.Answer;
import dev.wagateway.cloudapi.MetaErrors.MetaError;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Meta's error codes through a real gateway on virtual time, and the mapping table itself. */
class CloudApiErrorsTest {
  static final CloudApiConfig CONFIG = CloudApiConfig.builder().build();
  CloudHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @ParameterizedTest(name = "{0} -> {1} session={2}")
  @CsvSource({
      "130429, RATE_LIMITED, ", "131056, RATE_LIMITED, ", "80007, RATE_LIMITED, ", "4, RATE_LIMITED, ",
      "131047, PERMANENT, ", "131026, RECIPIENT_INVALID, ", "190, TRANSIENT, LOGGED_OUT",
      "368, SESSION_RESTRICTED, RESTRICTED", "131048, SESSION_RESTRICTED, RESTRICTED", "131000, TRANSIENT, ",
      "132001, PERMANENT, ", "133010, TRANSIENT, FATAL"})
  void theTableOfCodes(int code, FailureType type, Disconnect.Kind session) {
    MetaErrors.Mapped m = MetaErrors.map(new MetaError(400, code, null, "t", null, null), CONFIG);
    assertThat(m.failure().type()).isEqualTo(type);
    assertThat(m.failure().code()).isEqualTo(String.valueOf(code));
    assertThat(m.session() == null ? null : m.session().kind()).isEqualTo(session);
    assertThat(m.failure().perRecipient()).isEqualTo(code == 131056);
  }

  @Test
  void unknownCodesFollowMetasTransientFlagThenTheStatusNeverTheStatusAlone() {
    assertThat(MetaErrors.map(new MetaError(400, 999999, null, "t", null, true), CONFIG).failure().type())
        .as("is_transient=true on a 400").isEqualTo(FailureType.TRANSIENT);
    assertThat(MetaErrors.map(new MetaError(500, 999999, null, "t", null, false), CONFIG).failure().type())
        .as("is_transient=false on a 500").isEqualTo(FailureType.PERMANENT);
    // a 400 that is throttling: decided by the code
    assertThat(MetaErrors.map(new MetaError(400, 130429, null, "t", null, null), CONFIG).failure().type().retryable()).isTrue();
    assertThat(MetaErrors.withoutError(502).type()).isEqualTo(FailureType.TRANSIENT);
    assertThat(MetaErrors.withoutError(404).type()).isEqualTo(FailureType.PERMANENT);
  }

  @Test
  void aFreeFormMessageOutsideTheWindowFailsAtOnceAndSaysATemplateIsNeeded() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    h.graph.script("1001/messages", Answer.error(400, 131047,
        "Message failed to send because more than 24 hours have passed since the customer last replied."));
    Instant t0 = h.time.now();
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi").build());
    MessageInfo info = h.awaitStatus(m.id(), MessageStatus.DEAD_LETTERED);
    assertThat(info.attempts()).as("not retried").isEqualTo(1);
    assertThat(info.lastFailure().type()).isEqualTo(FailureType.PERMANENT);
    assertThat(info.lastFailure().code()).isEqualTo("131047");
    assertThat(info.lastFailure().detail()).contains("24-hour").contains("template");
    assertThat(h.time.now()).as("no virtual time passed: no backoff").isEqualTo(t0);

    // the template the failure asks for goes out
    OutboundMessage t = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567")
        .content(new MessageContent.Template("hello_world", "en_US", List.of())).build());
    h.awaitStatus(t.id(), MessageStatus.SENT);
    assertThat(h.graph.sends().get(h.graph.sends().size() - 1).path("template").path("name").asText())
        .isEqualTo("hello_world");
  }

  @Test
  void aThroughputStormPausesTheSessionForTheBackoffThenEverythingGoesOut() throws Exception {
    h = new CloudHarness(new dev.wagateway.store.InMemorySeenIds(), c -> c.throughputBackoff(Duration.ofSeconds(5)),
        b -> {});
    h.connect("sales");
    Answer throttled = Answer.error(400, 130429, "Rate limit hit");
    h.graph.script("1001/messages", throttled, throttled, throttled);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(h.gateway.send(MessageRequest.builder().session("sales").to("+4917012345" + (10 + i)).text("n" + i)
          .build()).id());
    }
    h.until(() -> !h.events(GatewayEvent.SendingPaused.class).isEmpty());
    GatewayEvent.SendingPaused pause = h.events(GatewayEvent.SendingPaused.class).get(0);
    assertThat(Duration.between(pause.timestamp(), pause.until())).isEqualTo(Duration.ofSeconds(5));
    assertThat(pause.reason()).contains("130429");
    // while paused on the virtual clock nothing new is sent, however long real time runs (sends
    // already in flight when the first 130429 came back still land: let them settle first)
    Thread.sleep(300);
    h.time.runPending();
    int during = h.graph.calls("POST", "/1001/messages").size();
    Thread.sleep(300);
    h.time.runPending();
    assertThat(h.graph.calls("POST", "/1001/messages")).hasSize(during);
    // the storm passes: all five go out, none lost, none twice
    h.advanceUntil(Duration.ofSeconds(1), 120, () -> allSent(ids));
    assertThat(h.graph.sends().stream().map(n -> n.path("to").asText()).distinct()).hasSize(5);
    assertThat(h.graph.sends()).as("5 accepted + 3 throttled attempts").hasSize(8);
    assertThat(h.gateway.queueStats().rateLimitHits()).containsKey("engine");
  }

  private boolean allSent(List<String> ids) {
    return ids.stream().allMatch(id -> h.gateway.message(id).map(m -> m.status() == MessageStatus.SENT).orElse(false));
  }

  @Test
  void thePairRateLimitHoldsOnlyThatRecipient() throws Exception {
    h = new CloudHarness(new dev.wagateway.store.InMemorySeenIds(), c -> c.pairRateBackoff(Duration.ofSeconds(30)),
        b -> {});
    h.connect("sales");
    h.graph.script("1001/messages", Answer.error(400, 131056, "Pair rate limit hit"));
    OutboundMessage held = h.gateway.send(MessageRequest.builder().session("sales").to("+491701111111").text("a").build());
    h.until(() -> h.gateway.message(held.id()).orElseThrow().attempts() == 1
        && h.gateway.message(held.id()).orElseThrow().status() == MessageStatus.QUEUED);
    OutboundMessage other = h.gateway.send(MessageRequest.builder().session("sales").to("+491702222222").text("b").build());
    h.awaitStatus(other.id(), MessageStatus.SENT);
    assertThat(h.events(GatewayEvent.SendingPaused.class)).as("the session is not paused").isEmpty();
    MessageInfo waiting = h.gateway.message(held.id()).orElseThrow();
    assertThat(Duration.between(h.time.now(), waiting.availableAt())).isEqualTo(Duration.ofSeconds(30));
    h.time.advance(Duration.ofSeconds(30));
    h.awaitStatus(held.id(), MessageStatus.SENT);
    assertThat(h.gateway.queueStats().rateLimitHits()).containsKey("engine_recipient").doesNotContainKey("engine");
  }

  @Test
  void anExpiredTokenLogsTheSessionOutAndKeepsTheMessage() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    h.graph.script("1001/messages", Answer.error(401, 190, "Error validating access token: Session has expired"));
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi").build());
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.LOGGED_OUT);
    GatewayEvent.SessionStateChanged change = h.events(GatewayEvent.SessionStateChanged.class).stream()
        .filter(e -> e.to() == SessionState.LOGGED_OUT).findFirst().orElseThrow();
    assertThat(change.reason()).contains("access token");
    assertThat(change.reason()).doesNotContain(FakeGraph.TOKEN);
    h.until(() -> h.gateway.message(m.id()).orElseThrow().status() == MessageStatus.QUEUED);
    MessageInfo info = h.gateway.message(m.id()).orElseThrow();
    assertThat(info.lastFailure().code()).isEqualTo("190");
    assertThat(h.engine.accountStatus().get("sales").tokenValid()).isFalse();
    assertThat(h.engine.health().status()).as("a refused token is DOWN").isEqualTo("DOWN");
    assertThat(h.engine.health().details().toString()).doesNotContain(FakeGraph.TOKEN);
    // the operator fixes the token (here: Meta accepts it again) and starts the session
    h.gateway.sessions().start("sales");
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.CONNECTED);
    h.advanceUntil(Duration.ofSeconds(1), 300,
        () -> h.gateway.message(m.id()).map(x -> x.status() == MessageStatus.SENT).orElse(false));
  }

  @Test
  void aRestrictedAccountMovesTheSessionToRestricted() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    h.graph.script("1001/messages", Answer.error(400, 368, "Temporarily blocked for policies violations"));
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi").build());
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.RESTRICTED);
    Failure f = h.awaitStatus(m.id(), MessageStatus.DEAD_LETTERED).lastFailure();
    assertThat(f.type()).isEqualTo(FailureType.SESSION_RESTRICTED);
  }

  @Test
  void aBadTokenOrAnUnknownNumberAtTheFirstConnectFailsTheSessionWithTheReason() throws Exception {
    h = new CloudHarness();
    h.graph.script("1001", Answer.error(401, 190, "Invalid OAuth access token"));
    h.gateway.sessions().create("sales");
    // never linked: there is nothing to log out of (PAIRING cannot become LOGGED_OUT), so FAILED
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.FAILED);
    assertThat(h.gateway.sessions().require("sales").reason()).contains("access token");
    h.graph.script("1002", Answer.error(400, 100, "Unsupported get request. Object with ID '1002' does not exist"));
    h.gateway.sessions().create("support");
    h.until(() -> h.gateway.sessions().require("support").state() == SessionState.FAILED);
    assertThat(h.gateway.sessions().require("support").reason()).contains("1002");
    h.gateway.sessions().create("nobody");
    h.until(() -> h.gateway.sessions().require("nobody").state() == SessionState.FAILED);
    assertThat(h.gateway.sessions().require("nobody").reason()).contains("no Cloud API phone number");
  }

  @Test
  void aNetworkFailureAtConnectReconnectsWithBackoff() throws Exception {
    h = new CloudHarness();
    h.graph.script("1001", Answer.of(502, "<html>bad gateway</html>"));
    h.gateway.sessions().create("sales");
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.RECONNECTING);
    h.advanceUntil(Duration.ofSeconds(1), 120,
        () -> h.gateway.sessions().require("sales").state() == SessionState.CONNECTED);
    assertThat(h.graph.calls("GET", "/v26.0/1001")).hasSizeGreaterThanOrEqualTo(2);
  }
}
