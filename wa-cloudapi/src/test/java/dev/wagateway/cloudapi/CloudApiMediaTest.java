package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.cloudapi.FakeGraph.Answer;
import dev.wagateway.message.MediaKind;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inbound media: URL lookup with the token, the download, an expired URL, the size limits. */
class CloudApiMediaTest {
  CloudHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new CloudHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void mediaIsLookedUpThenFetchedWithTheTokenByteForByte() throws Exception {
    byte[] jpeg = new byte[300_000];
    new Random(7).nextBytes(jpeg);
    h.graph.media.put("987654321", jpeg);
    CloudApiEngine.DownloadedMedia m = h.engine.downloadMedia("sales", "987654321", MediaKind.IMAGE).get();
    assertThat(m.data()).isEqualTo(jpeg);
    assertThat(m.mimeType()).isEqualTo("image/jpeg");
    FakeGraph.Call lookup = h.graph.calls("GET", "/v26.0/987654321").get(0);
    assertThat(lookup.query()).isEqualTo("phone_number_id=1001");
    FakeGraph.Call fetch = h.graph.calls("GET", "/files/987654321").get(0);
    assertThat(fetch.header("Authorization")).isEqualTo("Bearer " + FakeGraph.TOKEN);
    assertThat(m.toString()).doesNotContain("[B@");
  }

  @Test
  void anExpiredUrlIsLookedUpAgainOnce() throws Exception {
    h.graph.media.put("42", new byte[] {1, 2, 3});
    h.graph.script("files/42", Answer.of(404, ""));
    CloudApiEngine.DownloadedMedia m = h.engine.downloadMedia("sales", "42", MediaKind.DOCUMENT).get();
    assertThat(m.data()).containsExactly(1, 2, 3);
    assertThat(h.graph.calls("GET", "/v26.0/42")).as("two lookups").hasSize(2);
  }

  @Test
  void mediaOverItsKindsLimitIsRefusedWithoutKeepingIt() {
    h.graph.media.put("big", new byte[(int) MediaKind.STICKER.maxBytes() * 6]);
    assertThatThrownBy(() -> h.engine.downloadMedia("sales", "big", MediaKind.STICKER).get())
        .isInstanceOf(ExecutionException.class).hasMessageContaining("larger than");
    assertThatThrownBy(() -> h.engine.downloadMedia("sales", "../etc", MediaKind.IMAGE))
        .hasMessageContaining("mediaId");
    assertThatThrownBy(() -> h.engine.downloadMedia("nobody", "1", MediaKind.IMAGE)).hasMessageContaining("nobody");
  }

  @Test
  void anInboundImageIsDownloadedOnArrivalStoredAndItsEventCarriesTheGatewayMediaId() throws Exception {
    h.close();
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("wa-media");
    dev.wagateway.media.FileSystemMediaStore store = new dev.wagateway.media.FileSystemMediaStore(dir);
    h = new CloudHarness(new dev.wagateway.store.InMemorySeenIds(), c -> {},
        b -> b.media(dev.wagateway.media.MediaConfig.of(store)));
    h.connect("sales");
    byte[] jpeg = new byte[250_000];
    new Random(9).nextBytes(jpeg);
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    h.graph.media.put("777", jpeg);
    h.graph.script("files/777", FakeGraph.Answer.of(404, "")); // the first URL has expired already
    String body = CloudApiWebhookTest.envelope("1001", "\"messages\":[{\"from\":\"491701234567\",\"id\":\"wamid.img\","
        + "\"timestamp\":\"1764583200\",\"type\":\"image\",\"image\":{\"mime_type\":\"image/jpeg\",\"id\":\"777\"}}]");
    assertThat(h.post(body).status()).isEqualTo(200);
    var in = h.events(dev.wagateway.event.GatewayEvent.MessageReceived.class).get(0);
    var media = (dev.wagateway.message.MediaSource.Stored) ((dev.wagateway.message.MessageContent.Image)
        in.message().content()).media();
    byte[] back;
    try (var s = store.open(media.mediaId()).orElseThrow()) {
      back = s.readAllBytes();
    }
    assertThat(back).as("byte-identical").isEqualTo(jpeg);
    assertThat(h.graph.calls("GET", "/v26.0/777")).as("looked up again after the expired URL").hasSize(2);
    assertThat(store.metadata(media.mediaId()).orElseThrow().sessionId()).isEqualTo("sales");
  }

  @Test
  void theSameBytesSentToManyAreUploadedOnce() throws Exception {
    h.connect("sales");
    byte[] pdf = ("%PDF-1.7 brochure " + "x".repeat(5000)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(h.gateway.send(dev.wagateway.message.MessageRequest.builder().session("sales").to("+4917012345" + (10 + i))
          .content(new dev.wagateway.message.MessageContent.Document(dev.wagateway.message.MediaSource.bytes(pdf,
              "application/pdf"), "brochure.pdf", null)).build()).id());
    }
    for (String id : ids) {
      h.awaitStatus(id, dev.wagateway.message.MessageStatus.SENT);
    }
    assertThat(h.graph.calls("POST", "/1001/media")).as("one upload for three sends").hasSize(1);
    assertThat(h.graph.sends()).extracting(n -> n.path("document").path("id").asText()).containsOnly("media1");
  }
}
