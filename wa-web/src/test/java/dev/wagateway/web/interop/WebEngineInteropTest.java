package dev.wagateway.web.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.web.WebEngine;
import dev.wagateway.web.WebEngineConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web engine end to end against the mock WhatsApp server, with a real Baileys client as the
 * other side of the chat. One gateway, one scenario in ordered steps (each needs the last).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebEngineInteropTest {
  static final String OUR_PHONE = "491701111111";
  static final String PEER_PHONE = "491702222222";
  static final Duration WAIT = Duration.ofSeconds(30);

  MockServer mock;
  MockServer.Peer peer;
  WaGateway gateway;
  WebEngine engine;
  InMemorySessionStore store = new InMemorySessionStore();
  final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
  /** The engine's clock, which a step moves a week ahead to make the signed pre-key due. */
  final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }
  };

  @BeforeAll
  void start() throws Exception {
    mock = MockServer.start();
    peer = mock.peer(PEER_PHONE, "B");
    engine = new WebEngine(WebEngineConfig.defaults().withUrl(mock.url)
        .withRootKey(HexFormat.of().parseHex(mock.testRootHex))
        .withKeepAlive(Duration.ofSeconds(2), Duration.ofSeconds(3)).withClock(clock));
    gateway = WaGateway.builder().engine(engine).sessionStore(store)
        .encryptionKeys(EncryptionKeys.of("k1", Base64.getEncoder().encodeToString(new byte[32])))
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()))
        .build();
    gateway.events().subscribe(events::add, SubscribeOptions.sync("test"));
    gateway.start();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  @Order(1)
  void pairsByQrThroughTheScanEndpointAndLogsIn() {
    gateway.sessions().create("a");
    String qr = await().atMost(WAIT).until(() -> events.stream()
        .filter(e -> e instanceof GatewayEvent.QrCodeIssued).map(e -> ((GatewayEvent.QrCodeIssued) e).code())
        .findFirst().orElse(null), q -> q != null);
    assertThat(qr).startsWith("https://wa.me/settings/linked_devices#");
    JsonNode scanned = mock.post("/control/scan", MockServer.JSON.createObjectNode().put("qr", qr)
        .put("phone", OUR_PHONE).toString());
    assertThat(scanned.get("jid").asText()).startsWith(OUR_PHONE + ":");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(GatewayEvent.SessionPaired.class));
    // the credentials are stored, encrypted: the Noise key is not readable in them
    assertThat(store.load("a").orElseThrow().hasCredentials()).isTrue();
    // the pre-keys reached the server
    await().atMost(WAIT).until(() -> preKeyCountOnServer() >= 30);
  }

  @Test
  @Order(2)
  void sendsToARealClientWhichDecryptsIt() {
    OutboundMessage sent = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
        .text("hello B, this is the Java engine").build());
    await().atMost(WAIT).until(() -> status(sent).isAccepted());
    JsonNode got = await().atMost(WAIT).until(() -> peer.messages(0, Duration.ofSeconds(2)).get("messages"),
        m -> m.size() >= 1);
    assertThat(got.get(0).get("text").asText()).isEqualTo("hello B, this is the Java engine");
    assertThat(got.get(0).get("encType").asText()).isEqualTo("pkmsg");
    await().atMost(WAIT).until(() -> status(sent) == MessageStatus.DELIVERED || status(sent) == MessageStatus.READ);
  }

  @Test
  @Order(3)
  void receivesTheRealClientsRepliesAcrossRatchetTurns() {
    for (int round = 0; round < 3; round++) {
      String text = "reply " + round + " from B";
      peer.send(OUR_PHONE, text);
      await().atMost(WAIT).until(() -> inboundTexts().contains(text));
      OutboundMessage answer = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
          .text("answer " + round).build());
      int expected = round + 2;
      await().atMost(WAIT).until(() -> peer.messages(0, Duration.ofSeconds(2)).get("messages").size() >= expected);
      JsonNode all = peer.messages(0, Duration.ZERO).get("messages");
      assertThat(all.get(expected - 1).get("text").asText()).isEqualTo("answer " + round);
      assertThat(all.get(expected - 1).get("encType").asText()).as("the session is reused").isEqualTo("msg");
      await().atMost(WAIT).until(() -> status(answer).isAccepted());
    }
  }

  @Test
  @Order(4)
  void aReadReceiptFromThePeerMarksOurMessageRead() {
    OutboundMessage sent = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
        .text("please read this").build());
    JsonNode msg = await().atMost(WAIT).until(() -> lastPeerMessage("please read this"), m -> m != null);
    peer.read(msg.get("id").asText(), msg.get("from").asText());
    await().atMost(WAIT).until(() -> status(sent) == MessageStatus.READ);
  }

  @Test
  @Order(5)
  void resumesFromStoredCredentialsWithoutAQrAndGetsWhatWasSentMeanwhile() {
    long qrsBefore = events.stream().filter(e -> e instanceof GatewayEvent.QrCodeIssued).count();
    gateway.sessions().stop("a");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.STOPPED);
    peer.send(OUR_PHONE, "written while you were away");
    offset.set(Duration.ofDays(8)); // the signed pre-key is now due for rotation
    gateway.sessions().start("a");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    await().atMost(WAIT).until(() -> inboundTexts().contains("written while you were away"));
    assertThat(events.stream().filter(e -> e instanceof GatewayEvent.QrCodeIssued).count()).isEqualTo(qrsBefore);
    await().atMost(WAIT).until(() -> ourDevice().path("signedPreKeyId").asInt() == 2);
  }

  @Test
  @Order(6)
  void aNewPeerStartsASessionOnTheRotatedSignedPreKey() throws Exception {
    MockServer.Peer third = mock.peer("491704444444", "C");
    third.send(OUR_PHONE, "hello from C");
    await().atMost(WAIT).until(() -> inboundTexts().contains("hello from C"));
    OutboundMessage back = gateway.send(MessageRequest.builder().session("a").to("+491704444444")
        .text("hello C").build());
    await().atMost(WAIT).until(() -> third.messages(0, Duration.ofSeconds(1)).get("messages").size() >= 1);
    assertThat(third.messages(0, Duration.ZERO).get("messages").get(0).get("text").asText()).isEqualTo("hello C");
    await().atMost(WAIT).until(() -> status(back).isAccepted());
  }

  @Test
  @Order(7)
  void aDroppedConnectionIsReconnectedAndAStallIsDetected() {
    String me = store.load("a").orElseThrow().self().asString();
    mock.post("/control/disconnect", MockServer.JSON.createObjectNode().put("jid", me).put("hard", true).toString());
    await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof GatewayEvent.ReconnectScheduled));
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    long reconnects = events.stream().filter(e -> e instanceof GatewayEvent.ReconnectScheduled).count();
    mock.post("/control/stop-responding", MockServer.JSON.createObjectNode().put("jid", me).toString());
    await().atMost(WAIT).until(() ->
        events.stream().filter(e -> e instanceof GatewayEvent.ReconnectScheduled).count() > reconnects);
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    peer.send(OUR_PHONE, "after the stall");
    await().atMost(WAIT).until(() -> inboundTexts().contains("after the stall"));
  }

  @Test
  @Order(8)
  void aMessageWeCannotDecryptIsAskedForAgainAndArrives() {
    // roll our state back by two ratchet turns: the peer's next message no longer decrypts
    var snapshot = store.load("a").orElseThrow();
    for (int turn = 0; turn < 2; turn++) {
      String text = "turn the ratchet " + turn;
      peer.send(OUR_PHONE, text);
      await().atMost(WAIT).until(() -> inboundTexts().contains(text));
      OutboundMessage answer = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
          .text("turned " + turn).build());
      String expected = "turned " + turn;
      await().atMost(WAIT).until(() -> lastPeerMessage(expected) != null);
      await().atMost(WAIT).until(() -> status(answer).isAccepted());
    }
    gateway.sessions().stop("a");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.STOPPED);
    store.save(snapshot);
    gateway.sessions().start("a");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    String id = peer.send(OUR_PHONE, "after a rollback").get("id").asText();
    await().atMost(WAIT).until(() -> inboundTexts().contains("after a rollback"));
    assertThat(inboundTexts().stream().filter("after a rollback"::equals)).hasSize(1);
    // it took our retry receipt: the peer encrypted it again and the server routed it twice
    int routed = 0;
    for (JsonNode m : mock.state().path("recentMessages")) {
      routed += id.equals(m.path("id").asText()) ? 1 : 0;
    }
    assertThat(routed).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(9)
  void ourOtherCompanionGetsACopyOfWhatWeSend() throws Exception {
    MockServer.Peer companion = mock.peer(OUR_PHONE, "A2");
    OutboundMessage sent = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
        .text("copied to my other device").build());
    JsonNode copy = await().atMost(WAIT).until(() -> {
      for (JsonNode m : companion.messages(0, Duration.ofSeconds(1)).get("messages")) {
        if ("copied to my other device".equals(m.path("text").asText())) {
          return m;
        }
      }
      return null;
    }, m -> m != null);
    assertThat(copy.path("fromMe").asBoolean()).as("our own message, seen from our other device").isTrue();
    assertThat(lastPeerMessage("copied to my other device")).isNotNull();
    await().atMost(WAIT).until(() -> status(sent).isAccepted());
  }

  @Test
  @Order(10)
  void weReactToThePeersMessage() {
    String target = events.stream().filter(e -> e instanceof GatewayEvent.MessageReceived)
        .map(e -> ((GatewayEvent.MessageReceived) e).message())
        .filter(m -> m.content() instanceof MessageContent.Text t && t.body().equals("reply 0 from B"))
        .map(m -> m.id()).findFirst().orElseThrow();
    OutboundMessage reaction = gateway.send(MessageRequest.builder().session("a").to("+" + PEER_PHONE)
        .content(new MessageContent.Reaction(target, "👍")).build());
    await().atMost(WAIT).until(() -> status(reaction).isAccepted());
    JsonNode seen = await().atMost(WAIT).until(() -> {
      for (JsonNode m : peer.messages(0, Duration.ofSeconds(1)).get("messages")) {
        if ("reactionMessage".equals(m.path("contentType").asText())) {
          return m;
        }
      }
      return null;
    }, m -> m != null);
    assertThat(seen.path("from").asText()).startsWith(OUR_PHONE);
  }

  @Test
  @Order(11)
  void conflictStopsAndLogoutWipes() {
    String me = store.load("a").orElseThrow().self().asString();
    mock.post("/control/stream-error", MockServer.JSON.createObjectNode().put("jid", me).put("code", 440).toString());
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.STOPPED);
    gateway.sessions().start("a");
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.CONNECTED);
    mock.post("/control/stream-error", MockServer.JSON.createObjectNode().put("jid", me).put("code", 401).toString());
    await().atMost(WAIT).until(() -> gateway.sessions().require("a").state() == SessionState.LOGGED_OUT);
    assertThat(store.load("a").orElseThrow().hasCredentials()).isFalse();
  }

  private JsonNode ourDevice() {
    for (JsonNode account : mock.state().path("accounts")) {
      if (OUR_PHONE.equals(account.path("phone").asText())) {
        return account.path("devices").path(0);
      }
    }
    return MockServer.JSON.createObjectNode();
  }

  private MessageStatus status(OutboundMessage m) {
    return gateway.message(m.id()).orElseThrow().status();
  }

  private List<String> inboundTexts() {
    return events.stream().filter(e -> e instanceof GatewayEvent.MessageReceived)
        .map(e -> ((GatewayEvent.MessageReceived) e).message().content())
        .filter(c -> c instanceof MessageContent.Text).map(c -> ((MessageContent.Text) c).body()).toList();
  }

  private JsonNode lastPeerMessage(String text) {
    JsonNode all = peer.messages(0, Duration.ofSeconds(1)).get("messages");
    for (JsonNode m : all) {
      if (text.equals(m.get("text").asText())) {
        return m;
      }
    }
    return null;
  }

  private int preKeyCountOnServer() {
    return ourDevice().path("preKeys").asInt(0);
  }
}
