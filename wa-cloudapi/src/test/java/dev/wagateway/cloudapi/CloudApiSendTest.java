package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wagateway.IllegalSessionStateException;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageContent.Choice;
import dev.wagateway.message.MessageContent.TemplateComponent;
import dev.wagateway.message.MessageContent.TemplateParameter;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sends through the Graph API: the request shapes of Meta's "Send messages" reference, one per content type. */
class CloudApiSendTest {
  CloudHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new CloudHarness();
    h.connect("sales");
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  JsonNode sendAndCapture(MessageRequest.Builder b) {
    int before = h.graph.sends().size();
    OutboundMessage m = h.gateway.send(b.session("sales").build());
    MessageInfo info = h.awaitStatus(m.id(), MessageStatus.SENT);
    assertThat(info.providerMessageId()).startsWith("wamid.fake");
    List<JsonNode> sends = h.graph.sends();
    assertThat(sends).hasSize(before + 1);
    JsonNode body = sends.get(sends.size() - 1);
    assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
    return body;
  }

  @Test
  void connectingChecksThePhoneNumberWithTheTokenAndPairsWithItsDisplayNumber() {
    FakeGraph.Call check = h.graph.calls("GET", "/v26.0/1001").get(0);
    assertThat(check.header("Authorization")).isEqualTo("Bearer " + FakeGraph.TOKEN);
    assertThat(check.query()).contains("fields=display_phone_number");
    assertThat(h.gateway.sessions().require("sales").self()).isEqualTo(Jid.ofPhone("+15550100001"));
    assertThat(h.events(GatewayEvent.SessionPaired.class)).hasSize(1);
    assertThat(h.engine.accountStatus().get("sales").healthy()).isTrue();
    assertThat(h.engine.accountStatus().get("sales").qualityRating()).isEqualTo("GREEN");
    assertThat(h.engine.health().status()).as("support is not checked yet").isEqualTo("DEGRADED");
    h.connect("support");
    assertThat(h.engine.health().status()).isEqualTo("UP");
    // Meta lowers the number's quality; ten quiet minutes pass (two account checks)
    h.graph.quality = "RED";
    h.time.advance(java.time.Duration.ofMinutes(10));
    h.until(() -> "RED".equals(h.engine.accountStatus().get("sales").qualityRating()));
    assertThat(h.events(GatewayEvent.SessionStateChanged.class).stream().map(e -> e.to()).toList())
        .as("quiet is normal on HTTP: the keep-alive holds the watchdog off, no DEGRADED, no reconnect")
        .doesNotContain(dev.wagateway.session.SessionState.DEGRADED, dev.wagateway.session.SessionState.RECONNECTING);
    assertThat(h.gateway.sessions().require("sales").state()).isEqualTo(dev.wagateway.session.SessionState.CONNECTED);
    assertThat(h.engine.health().status()).isEqualTo("DEGRADED");
    assertThat(h.engine.accountStatus().get("sales").healthy()).isFalse();
  }

  @Test
  void textWithPreviewAndReplyContext() {
    JsonNode b = sendAndCapture(MessageRequest.builder().to("+49 170 1234567")
        .content(new MessageContent.Text("see https://example.com", true)).replyTo("wamid.earlier"));
    assertThat(b.path("to").asText()).isEqualTo("491701234567");
    assertThat(b.path("recipient_type").asText()).isEqualTo("individual");
    assertThat(b.path("type").asText()).isEqualTo("text");
    assertThat(b.path("text").path("body").asText()).isEqualTo("see https://example.com");
    assertThat(b.path("text").path("preview_url").asBoolean()).isTrue();
    assertThat(b.path("context").path("message_id").asText()).isEqualTo("wamid.earlier");
  }

  @Test
  void aBusinessScopedUserIdIsAddressedAsRecipient() {
    JsonNode b = sendAndCapture(MessageRequest.builder().to("US.13491208655302741918").text("hi"));
    assertThat(b.has("to")).isFalse();
    assertThat(b.path("recipient").asText()).isEqualTo("US.13491208655302741918");
  }

  @Test
  void mediaByLinkByUploadedIdAndFromBytesThroughAnUpload() {
    JsonNode link = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Image(
        MediaSource.url("https://cdn.example.com/a.jpg", "image/jpeg"), "a caption")));
    assertThat(link.path("image").path("link").asText()).isEqualTo("https://cdn.example.com/a.jpg");
    assertThat(link.path("image").path("caption").asText()).isEqualTo("a caption");

    JsonNode byId = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Video(
        MediaSource.uploaded("1234567890", "video/mp4"), null)));
    assertThat(byId.path("video").path("id").asText()).isEqualTo("1234567890");
    assertThat(byId.path("video").has("caption")).isFalse();

    byte[] pdf = "%PDF-1.7 fake".getBytes(StandardCharsets.US_ASCII);
    JsonNode doc = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Document(
        MediaSource.bytes(pdf, "application/pdf"), "invoice.pdf", "your invoice")));
    FakeGraph.Call upload = h.graph.calls("POST", "/1001/media").get(0);
    assertThat(upload.header("Content-Type")).startsWith("multipart/form-data; boundary=");
    String form = upload.text();
    assertThat(form).contains("name=\"messaging_product\"\r\n\r\nwhatsapp\r\n")
        .contains("name=\"type\"\r\n\r\napplication/pdf\r\n")
        .contains("name=\"file\"; filename=\"invoice.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 fake\r\n");
    assertThat(doc.path("document").path("id").asText()).isEqualTo("media1");
    assertThat(doc.path("document").path("filename").asText()).isEqualTo("invoice.pdf");

    JsonNode voice = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Audio(
        MediaSource.uploaded("77", "audio/ogg"), true)));
    assertThat(voice.path("audio").path("voice").asBoolean()).isTrue();

    JsonNode sticker = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Sticker(
        MediaSource.url("https://cdn.example.com/s.webp", "image/webp"), false)));
    assertThat(sticker.path("type").asText()).isEqualTo("sticker");
  }

  @Test
  void locationContactAndReaction() {
    JsonNode loc = sendAndCapture(MessageRequest.builder().to("+491701234567")
        .content(new MessageContent.Location(52.52, 13.405, "Office", "Unter den Linden 1")));
    assertThat(loc.path("location").path("latitude").asDouble()).isEqualTo(52.52);
    assertThat(loc.path("location").path("name").asText()).isEqualTo("Office");

    JsonNode contact = sendAndCapture(MessageRequest.builder().to("+491701234567")
        .content(new MessageContent.Contact("Ann Example", List.of("+44 20 7946 0018"))));
    JsonNode card = contact.path("contacts").path(0);
    assertThat(card.path("name").path("formatted_name").asText()).isEqualTo("Ann Example");
    assertThat(card.path("phones").path(0).path("phone").asText()).isEqualTo("+442079460018");
    assertThat(card.path("phones").path(0).path("wa_id").asText()).isEqualTo("442079460018");

    JsonNode reaction = sendAndCapture(MessageRequest.builder().to("+491701234567")
        .content(new MessageContent.Reaction("wamid.theirs", "👍")));
    assertThat(reaction.path("reaction").path("message_id").asText()).isEqualTo("wamid.theirs");
    assertThat(reaction.path("reaction").path("emoji").asText()).isEqualTo("👍");
  }

  @Test
  void templateWithHeaderMediaBodyParametersAndButtons() {
    MessageContent.Template t = new MessageContent.Template("order_update", "en_US", List.of(
        new TemplateComponent("header", null, null, List.of(new TemplateParameter.Media(
            dev.wagateway.message.MediaKind.IMAGE, MediaSource.url("https://cdn.example.com/h.png", "image/png"), null))),
        new TemplateComponent("body", null, null, List.of(new TemplateParameter.Text("Ann", "customer_name"),
            new TemplateParameter.Currency("€12.50", "EUR", 12_500), new TemplateParameter.DateTime("1 Dec 2026"))),
        new TemplateComponent("button", "quick_reply", 0, List.of(new TemplateParameter.Payload("TRACK"))),
        new TemplateComponent("button", "copy_code", 1, List.of(new TemplateParameter.CouponCode("SAVE10")))));
    JsonNode b = sendAndCapture(MessageRequest.builder().to("+491701234567").content(t));
    JsonNode tpl = b.path("template");
    assertThat(b.path("type").asText()).isEqualTo("template");
    assertThat(tpl.path("name").asText()).isEqualTo("order_update");
    assertThat(tpl.path("language").path("code").asText()).isEqualTo("en_US");
    JsonNode comps = tpl.path("components");
    assertThat(comps.path(0).path("parameters").path(0).path("image").path("link").asText())
        .isEqualTo("https://cdn.example.com/h.png");
    JsonNode body = comps.path(1).path("parameters");
    assertThat(body.path(0).path("text").asText()).isEqualTo("Ann");
    assertThat(body.path(0).path("parameter_name").asText()).isEqualTo("customer_name");
    assertThat(body.path(1).path("currency").path("amount_1000").asLong()).isEqualTo(12_500);
    assertThat(body.path(1).path("currency").path("code").asText()).isEqualTo("EUR");
    assertThat(body.path(2).path("date_time").path("fallback_value").asText()).isEqualTo("1 Dec 2026");
    assertThat(comps.path(2).path("sub_type").asText()).isEqualTo("quick_reply");
    assertThat(comps.path(2).path("index").asText()).isEqualTo("0");
    assertThat(comps.path(2).path("parameters").path(0).path("payload").asText()).isEqualTo("TRACK");
    assertThat(comps.path(3).path("parameters").path(0).path("coupon_code").asText()).isEqualTo("SAVE10");
  }

  @Test
  void interactiveButtonsAndList() {
    JsonNode b = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.Buttons(
        "Confirm your slot?", "Booking", "Reply to choose", List.of(Choice.of("yes", "Yes"), Choice.of("no", "No")))));
    JsonNode i = b.path("interactive");
    assertThat(b.path("type").asText()).isEqualTo("interactive");
    assertThat(i.path("type").asText()).isEqualTo("button");
    assertThat(i.path("header").path("text").asText()).isEqualTo("Booking");
    assertThat(i.path("body").path("text").asText()).isEqualTo("Confirm your slot?");
    assertThat(i.path("footer").path("text").asText()).isEqualTo("Reply to choose");
    assertThat(i.path("action").path("buttons").path(1).path("reply").path("id").asText()).isEqualTo("no");
    assertThat(i.path("action").path("buttons").path(1).path("type").asText()).isEqualTo("reply");

    JsonNode l = sendAndCapture(MessageRequest.builder().to("+491701234567").content(new MessageContent.ListMessage(
        "Pick a time", "Times", null, null, List.of(
            new MessageContent.Section("Morning", List.of(new Choice("t9", "09:00", "early"), Choice.of("t10", "10:00"))),
            new MessageContent.Section("Afternoon", List.of(Choice.of("t14", "14:00")))))));
    JsonNode action = l.path("interactive").path("action");
    assertThat(l.path("interactive").path("type").asText()).isEqualTo("list");
    assertThat(action.path("button").asText()).isEqualTo("Times");
    assertThat(action.path("sections").path(0).path("rows").path(0).path("description").asText()).isEqualTo("early");
    assertThat(action.path("sections").path(1).path("title").asText()).isEqualTo("Afternoon");
  }

  @Test
  void markAsReadWithATypingIndicator() throws Exception {
    h.gateway.markRead("sales", Jid.ofPhone("+491701234567"), "wamid.in1", true).toCompletableFuture().get();
    h.gateway.markRead("sales", Jid.ofPhone("+491701234567"), "wamid.in2", false).toCompletableFuture().get();
    List<JsonNode> reads = h.graph.calls("POST", "/1001/messages").stream().map(FakeGraph.Call::json)
        .filter(n -> n.has("status")).toList();
    assertThat(reads).hasSize(2);
    assertThat(reads.get(0).path("status").asText()).isEqualTo("read");
    assertThat(reads.get(0).path("message_id").asText()).isEqualTo("wamid.in1");
    assertThat(reads.get(0).path("typing_indicator").path("type").asText()).isEqualTo("text");
    assertThat(reads.get(1).has("typing_indicator")).isFalse();
    assertThatThrownBy(() -> h.gateway.markRead("sales", Jid.ofPhone("+491701234567"), " ", false))
        .hasMessageContaining("messageId");
    h.gateway.sessions().stop("sales");
    assertThatThrownBy(() -> h.gateway.markRead("sales", Jid.ofPhone("+491701234567"), "wamid.x", false))
        .isInstanceOf(IllegalSessionStateException.class);
  }

  @Test
  void aGroupAddressIsRefusedAsAnInvalidRecipientWithoutACall() {
    OutboundMessage m = h.gateway.send(MessageRequest.builder().session("sales").to("120363025246125486@g.us")
        .text("hi").build());
    MessageInfo info = h.awaitStatus(m.id(), MessageStatus.DEAD_LETTERED);
    assertThat(info.lastFailure().code()).isEqualTo("unsupported_recipient");
    assertThat(h.graph.sends()).isEmpty();
  }
}
