package dev.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.time.VirtualTaskScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media through a gateway on the simulated network: stored on arrival, sent from the store, expired. */
class GatewayMediaTest {
  @TempDir
  Path dir;

  static byte[] jpeg(int size) {
    byte[] b = MediaStoreContract.random(size, 42);
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xD8;
    b[2] = (byte) 0xFF;
    return b;
  }

  @Test
  void inboundMediaAreStoredAndTheEventCarriesTheGatewayIdThenStoredMediaAreSentOnAndExpire() throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    FileSystemMediaStore store = new FileSystemMediaStore(dir, time.clock());
    List<String> processed = new CopyOnWriteArrayList<>();
    MetricsTracker tracker = new MetricsTracker() {
      @Override
      public void mediaProcessed(String type, String direction, long bytes, long nanos) {
        processed.add(type + "/" + direction + "/" + bytes);
      }
    };
    try (SimHarness h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.metricsTracker(tracker)
        .media(MediaConfig.of(store).withRetention(Duration.ofDays(2))))) {
      h.pair("alice", "+491701111111");
      h.pair("bob", "+491702222222");
      h.pair("carol", "+491703333333");
      byte[] photo = jpeg(200_000);
      // declared png, is a jpeg: the content decides
      h.gateway.send(MessageRequest.builder().session("alice").to("+491702222222")
          .content(new MessageContent.Image(MediaSource.bytes(photo, "image/png"), "look")).build());
      h.time.advance(Duration.ofSeconds(5));
      GatewayEvent.MessageReceived in = h.events(GatewayEvent.MessageReceived.class, "bob").get(0);
      MessageContent.Image img = (MessageContent.Image) in.message().content();
      MediaSource.Stored stored = (MediaSource.Stored) img.media();
      assertThat(stored.mediaId()).isEqualTo(MediaStoreContract.sha256(photo));
      assertThat(stored.mimeType()).isEqualTo("image/jpeg");
      assertThat(stored.size()).isEqualTo(photo.length);
      assertThat(img.caption()).isEqualTo("look");
      StoredMedia meta = store.metadata(stored.mediaId()).orElseThrow();
      assertThat(meta.sessionId()).isEqualTo("bob");
      assertThat(meta.sourceMessageId()).isEqualTo(in.message().id());
      assertThat(MediaStoreContract.read(store.open(stored.mediaId()).orElseThrow())).isEqualTo(photo);

      // bob forwards the stored photo to carol: the engine gets the bytes from the store
      var fwd = h.gateway.send(MessageRequest.builder().session("bob").to("+491703333333")
          .content(new MessageContent.Image(stored, null)).build());
      h.time.advance(Duration.ofSeconds(5));
      MessageInfo sent = h.gateway.message(fwd.id()).orElseThrow();
      assertThat(sent.status().isAccepted()).isTrue();
      assertThat(sent.message().content()).as("the queue keeps the reference, not the bytes")
          .isEqualTo(new MessageContent.Image(stored, null));
      MessageContent.Image atCarol = (MessageContent.Image) h.events(GatewayEvent.MessageReceived.class, "carol").get(0)
          .message().content();
      assertThat(((MediaSource.Stored) atCarol.media()).mediaId()).isEqualTo(stored.mediaId());
      assertThat(processed).contains("image/inbound/200000", "image/outbound/200000");

      // past the retention the hourly job deletes it; a send that refers to it fails permanently
      h.time.advance(Duration.ofDays(2).plusHours(1));
      assertThat(store.metadata(stored.mediaId())).isEmpty();
      var late = h.gateway.send(MessageRequest.builder().session("bob").to("+491703333333")
          .content(new MessageContent.Image(stored, null)).build());
      h.time.advance(Duration.ofSeconds(5));
      MessageInfo gone = h.gateway.message(late.id()).orElseThrow();
      assertThat(gone.status()).isEqualTo(MessageStatus.DEAD_LETTERED);
      assertThat(gone.lastFailure().code()).isEqualTo("media_gone");
    }
  }

  @Test
  void withoutAMediaStoreMediaPassThrough() {
    try (SimHarness h = new SimHarness()) {
      h.pair("alice", "+491701111111");
      h.pair("bob", "+491702222222");
      h.gateway.send(MessageRequest.builder().session("alice").to("+491702222222")
          .content(new MessageContent.Image(MediaSource.bytes(jpeg(1000), "image/jpeg"), null)).build());
      h.time.advance(Duration.ofSeconds(5));
      MessageContent.Image img = (MessageContent.Image) h.events(GatewayEvent.MessageReceived.class, "bob").get(0)
          .message().content();
      assertThat(img.media()).isInstanceOf(MediaSource.Bytes.class);
      assertThat(h.gateway.mediaStore()).isEmpty();
    }
  }
}
