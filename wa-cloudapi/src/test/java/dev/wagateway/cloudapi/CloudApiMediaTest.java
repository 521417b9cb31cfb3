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
}
