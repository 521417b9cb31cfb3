package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.event.GatewayEvent;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.SessionState;
import dev.wagateway.store.InMemorySeenIds;
import dev.wagateway.store.SeenIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Meta's webhook: the handshake, signatures, payload shapes from Meta's reference, order and redelivery. */
class CloudApiWebhookTest {
  CloudHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  static String envelope(String phoneNumberId, String value) {
    return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
        + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550100001\","
        + "\"phone_number_id\":\"" + phoneNumberId + "\"}," + value + "},\"field\":\"messages\"}]}]}";
  }

  static String textMessage(String id, String from, String body) {
    return "\"contacts\":[{\"profile\":{\"name\":\"Ann\"},\"wa_id\":\"" + from + "\",\"user_id\":\"US.1234567\"}],"
        + "\"messages\":[{\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"1764583200\",\"type\":\"text\","
        + "\"text\":{\"body\":\"" + body + "\"}}]";
  }

  static String status(String id, String status, long ts) {
    return "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + ts + "\",\"recipient_id\":"
        + "\"491701234567\"}";
  }

  CloudApiWebhookHandler.Response get(String query) {
    return h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("GET", query, Map.of(), new byte[0]));
  }

  @Test
  void theVerificationHandshakeReturnsTheChallengeOnlyWithTheRightToken() throws Exception {
    h = new CloudHarness();
    var ok = get("hub.mode=subscribe&hub.verify_token=" + CloudHarness.VERIFY + "&hub.challenge=1158201444");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("1158201444");
    var wrong = get("hub.mode=subscribe&hub.verify_token=guess-guess&hub.challenge=1158201444");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.body()).doesNotContain("1158201444");
    assertThat(get("hub.verify_token=" + CloudHarness.VERIFY + "&hub.challenge=1").status()).isEqualTo(400);
    assertThat(get(null).status()).isEqualTo(400);
    assertThat(h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("PUT", null, Map.of(),
        new byte[0])).status()).isEqualTo(405);
  }

  @Test
  void aSignedPostIsTakenAChangedBodyOrWrongSecretOrNoSignatureIsRefusedWithNothingProcessed() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    String body = envelope("1001", textMessage("wamid.in1", "491701234567", "hello"));
    String sig = "sha256=" + CloudHarness.sign(CloudHarness.SECRET, body);
    String changed = body.replace("hello", "HELLO");
    var tampered = h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
        Map.of("x-hub-signature-256", sig), changed.getBytes(StandardCharsets.UTF_8)));
    assertThat(tampered.status()).isEqualTo(403);
    var otherSecret = h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
        Map.of("X-Hub-Signature-256", "sha256=" + CloudHarness.sign("not-the-app-secret", body)),
        body.getBytes(StandardCharsets.UTF_8)));
    assertThat(otherSecret.status()).isEqualTo(403);
    var unsigned = h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null, Map.of(),
        body.getBytes(StandardCharsets.UTF_8)));
    assertThat(unsigned.status()).isEqualTo(401);
    var garbage = h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
        Map.of("X-Hub-Signature-256", "sha256=zz"), body.getBytes(StandardCharsets.UTF_8)));
    assertThat(garbage.status()).isEqualTo(403);
    h.time.runPending();
    assertThat(h.events(GatewayEvent.MessageReceived.class)).as("nothing processed").isEmpty();

    var ok = h.post(body);
    assertThat(ok.status()).isEqualTo(200);
    GatewayEvent.MessageReceived in = h.events(GatewayEvent.MessageReceived.class).get(0);
    assertThat(in.sessionId()).isEqualTo("sales");
    assertThat(in.message().id()).isEqualTo("wamid.in1");
    assertThat(in.message().sender()).isEqualTo(Jid.ofPhone("+491701234567"));
    assertThat(((MessageContent.Text) in.message().content()).body()).isEqualTo("hello");
    assertThat(in.message().timestamp().getEpochSecond()).isEqualTo(1764583200L);
    assertThat(in.message().senderProfile().name()).isEqualTo("Ann");
    assertThat(in.message().senderProfile().userId()).isEqualTo(Jid.ofBsuid("x", "US.1234567"));
    assertThat(in.message().senderProfile().toString()).doesNotContain("Ann");
  }

  @Test
  void metasRedeliveryIsDroppedEvenByAnEngineThatRestartedOnTheSameSeenIds() throws Exception {
    SeenIds durable = new InMemorySeenIds(); // stands for JdbcStores.seenIds(), which outlives the engine
    h = new CloudHarness(durable, c -> {}, b -> {});
    h.connect("sales");
    String body = envelope("1001", textMessage("wamid.dup", "491701234567", "once"));
    assertThat(h.post(body).status()).isEqualTo(200);
    assertThat(h.post(body).body()).contains("0 taken, 1 seen before");
    assertThat(h.events(GatewayEvent.MessageReceived.class)).hasSize(1);
    h.close();

    h = new CloudHarness(durable, c -> {}, b -> {});
    h.connect("sales");
    assertThat(h.post(body).status()).isEqualTo(200);
    assertThat(h.events(GatewayEvent.MessageReceived.class)).as("the restarted gateway drops it too").isEmpty();
  }

  @Test
  void whenTheSeenIdStoreIsDownNothingIsTakenAndMetaIsAskedToRetry() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    InMemorySeenIds real = new InMemorySeenIds();
    SeenIds flaky = new SeenIds() {
      @Override
      public boolean contains(String key, java.time.Instant now) {
        if (down.get()) {
          throw new dev.wagateway.StoreException("database unreachable");
        }
        return real.contains(key, now);
      }

      @Override
      public void remember(String key, java.time.Instant expiresAt) {
        real.remember(key, expiresAt);
      }

      @Override
      public int purgeExpired(java.time.Instant now) {
        return real.purgeExpired(now);
      }
    };
    h = new CloudHarness(flaky, c -> {}, b -> {});
    h.connect("sales");
    String body = envelope("1001", textMessage("wamid.flaky", "491701234567", "hello"));
    assertThat(h.post(body).status()).isEqualTo(503);
    assertThat(h.events(GatewayEvent.MessageReceived.class)).isEmpty();
    down.set(false);
    assertThat(h.post(body).status()).isEqualTo(200);
    assertThat(h.events(GatewayEvent.MessageReceived.class)).hasSize(1);
  }

  @Test
  void rememberedIdsAreForgottenHourlyOnceTheyExpire() throws Exception {
    InMemorySeenIds seen = new InMemorySeenIds();
    h = new CloudHarness(seen, c -> c.seenIdTtl(java.time.Duration.ofMinutes(30))
        .accountCheckInterval(java.time.Duration.ofDays(1)), b -> {});
    h.connect("sales");
    h.post(envelope("1001", textMessage("wamid.old", "491701234567", "old")));
    assertThat(seen.size()).isEqualTo(1);
    h.time.advance(java.time.Duration.ofMinutes(61));
    assertThat(seen.size()).as("purged by the hourly job").isZero();
  }

  @Test
  void statusesArriveOutOfOrderAndTheMessageNeverMovesBackwards() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi").build());
    String wamid = h.awaitStatus(m.id(), MessageStatus.SENT).providerMessageId();
    String statuses = "\"statuses\":[" + status(wamid, "read", 1764583300) + "," + status(wamid, "delivered", 1764583250)
        + "," + status(wamid, "sent", 1764583200) + "]";
    assertThat(h.post(envelope("1001", statuses)).status()).isEqualTo(200);
    MessageInfo info = h.gateway.message(m.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.READ);
    assertThat(info.history().stream().map(c -> c.status()).toList()).containsExactly(MessageStatus.QUEUED,
        MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.READ);
    // a late failure cannot undo a read message
    String failed = "\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"failed\",\"timestamp\":\"1764583400\","
        + "\"recipient_id\":\"491701234567\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\"}]}]";
    h.post(envelope("1001", failed));
    assertThat(h.gateway.message(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void aFailedStatusAfterSentFailsTheMessageWithMetasReasonAndIsNotRetried() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi").build());
    String wamid = h.awaitStatus(m.id(), MessageStatus.SENT).providerMessageId();
    String failed = "\"statuses\":[{\"id\":\"" + wamid + "\",\"status\":\"failed\",\"timestamp\":\"1764583400\","
        + "\"recipient_id\":\"491701234567\",\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\","
        + "\"message\":\"Message undeliverable\",\"error_data\":{\"details\":\"Message Undeliverable.\"}}]}]";
    assertThat(h.post(envelope("1001", failed)).status()).isEqualTo(200);
    MessageInfo info = h.gateway.message(m.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(info.lastFailure().type()).isEqualTo(FailureType.RECIPIENT_INVALID);
    assertThat(info.lastFailure().code()).isEqualTo("131026");
    assertThat(info.attempts()).isEqualTo(1);
    GatewayEvent.MessageStatusChanged ev = h.events(GatewayEvent.MessageStatusChanged.class).stream()
        .filter(e -> e.status() == MessageStatus.FAILED).findFirst().orElseThrow();
    assertThat(ev.failure().code()).isEqualTo("131026");
    h.time.advance(java.time.Duration.ofMinutes(10));
    assertThat(h.graph.sends()).as("not sent again").hasSize(1);
  }

  @Test
  void oneBatchedPostCarriesSeveralNumbersKindsAndABusinessScopedSender() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    h.connect("support");
    String bsuidOnly = "\"contacts\":[{\"profile\":{\"name\":\"Anon\",\"username\":\"@anon\"},\"user_id\":"
        + "\"US.13491208655302741918\"}],\"messages\":[{\"from_user_id\":\"US.13491208655302741918\",\"id\":"
        + "\"wamid.b1\",\"timestamp\":\"1764583200\",\"type\":\"image\",\"image\":{\"caption\":\"look\","
        + "\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"id\":\"987654321\"}},"
        + "{\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.b2\",\"timestamp\":\"1764583201\","
        + "\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"yes\","
        + "\"title\":\"Yes\"}},\"context\":{\"from\":\"15550100002\",\"id\":\"wamid.ours\"}},"
        + "{\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.b3\",\"timestamp\":\"1764583202\","
        + "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.ours\",\"emoji\":\"❤️\"}},"
        + "{\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.b4\",\"timestamp\":\"1764583203\","
        + "\"type\":\"audio\",\"audio\":{\"mime_type\":\"audio/ogg; codecs=opus\",\"id\":\"555\",\"voice\":true}},"
        + "{\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.b5\",\"timestamp\":\"1764583204\","
        + "\"type\":\"some_future_type\"}]";
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":["
        + "{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1001\"},"
        + textMessage("wamid.a1", "491701234567", "to sales") + "},\"field\":\"messages\"},"
        + "{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1002\"}," + bsuidOnly
        + "},\"field\":\"messages\"}]}]}";
    var r = h.post(body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("5 taken");
    List<GatewayEvent.MessageReceived> in = h.events(GatewayEvent.MessageReceived.class);
    assertThat(in).extracting(GatewayEvent::sessionId).containsExactly("sales", "support", "support", "support");
    GatewayEvent.MessageReceived image = in.get(1);
    assertThat(image.message().sender()).isEqualTo(Jid.ofBsuid("from", "US.13491208655302741918"));
    assertThat(image.message().senderProfile().username()).isEqualTo("@anon");
    MessageContent.Image img = (MessageContent.Image) image.message().content();
    assertThat(img.media()).isEqualTo(MediaSource.uploaded("987654321", "image/jpeg"));
    assertThat(img.caption()).isEqualTo("look");
    MessageContent.ChoiceReply choice = (MessageContent.ChoiceReply) in.get(2).message().content();
    assertThat(choice.choiceId()).isEqualTo("yes");
    assertThat(in.get(2).message().replyTo()).isEqualTo("wamid.ours");
    MessageContent.Audio voice = (MessageContent.Audio) in.get(3).message().content();
    assertThat(voice.voiceNote()).isTrue();
    assertThat(voice.media().mimeType()).isEqualTo("audio/ogg");
    GatewayEvent.ReactionReceived reaction = h.events(GatewayEvent.ReactionReceived.class).get(0);
    assertThat(reaction.emoji()).isEqualTo("❤️");
    assertThat(reaction.targetMessageId()).isEqualTo("wamid.ours");
  }

  @Test
  void aMessageForASessionThatIsNotConnectedIsAnswered503AndTakenWhenMetaDeliversItAgain() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
    OutboundMessage sent = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hi")
        .build());
    String wamid = h.awaitStatus(sent.id(), MessageStatus.SENT).providerMessageId();
    h.gateway.sessions().stop("sales");
    // a status is a fact about a message already sent: applied while the session is down
    assertThat(h.post(envelope("1001", "\"statuses\":[" + status(wamid, "delivered", 1764583250) + "]")).status())
        .isEqualTo(200);
    assertThat(h.gateway.message(sent.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    String body = envelope("1001", textMessage("wamid.later", "491701234567", "are you there"));
    var r = h.post(body);
    assertThat(r.status()).isEqualTo(503);
    assertThat(h.events(GatewayEvent.MessageReceived.class)).isEmpty();
    h.gateway.sessions().start("sales");
    h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.CONNECTED);
    assertThat(h.post(body).status()).isEqualTo(200);
    assertThat(h.events(GatewayEvent.MessageReceived.class)).hasSize(1);
    // a number no session sends from: nothing to retry, so 200 and dropped with a log line
    assertThat(h.post(envelope("9999", textMessage("wamid.x", "491701234567", "?"))).status()).isEqualTo(200);
  }

  @Test
  void malformedBodiesAreRefusedAndUnknownObjectsIgnored() throws Exception {
    h = new CloudHarness();
    assertThat(h.post("not json").status()).isEqualTo(400);
    assertThat(h.post("[1,2]").status()).isEqualTo(400);
    assertThat(h.post("{\"object\":\"page\",\"entry\":[]}").status()).isEqualTo(200);
    assertThat(h.post("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\","
        + "\"value\":{\"metadata\":{\"phone_number_id\":\"1001\"},\"messages\":[{\"id\":\"x\"}]}}]}]}").status())
        .as("a message that cannot be read is skipped, not fatal").isIn(200, 503);
    CloudApiConfig small = CloudApiConfig.builder().appSecret(CloudHarness.SECRET).maxWebhookBodyBytes(1024).build();
    CloudApiEngine e = CloudApiEngine.builder(small).build();
    String big = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
    assertThat(e.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
        Map.of("X-Hub-Signature-256", "sha256=" + CloudHarness.sign(CloudHarness.SECRET, big)),
        big.getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(413);
  }
}
