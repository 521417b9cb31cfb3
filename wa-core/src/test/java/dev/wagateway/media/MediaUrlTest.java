package dev.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wagateway.ValidationException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.time.VirtualTaskScheduler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media by URL: fetched by the gateway behind the SSRF guard, limited, typed by content, stored. */
class MediaUrlTest {
  @TempDir
  Path dir;
  HttpServer web;
  final byte[] jpeg = GatewayMediaTest.jpeg(50_000);

  @BeforeEach
  void web() throws Exception {
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Map<String, byte[]> files = Map.of("/a.jpg", jpeg, "/fake.jpg", "%PDF-1.7 not a photo".getBytes(StandardCharsets.US_ASCII),
        "/big.jpg", GatewayMediaTest.jpeg(6 * 1024 * 1024));
    web.createContext("/", x -> {
      String p = x.getRequestURI().getPath();
      if (p.equals("/r")) {
        x.getResponseHeaders().add("Location", "/a.jpg");
        x.sendResponseHeaders(302, -1);
      } else if (files.containsKey(p)) {
        x.getResponseHeaders().add("Content-Type", "image/jpeg");
        x.sendResponseHeaders(200, files.get(p).length);
        x.getResponseBody().write(files.get(p));
      } else {
        x.sendResponseHeaders(404, -1);
      }
      x.close();
    });
    web.start();
  }

  @AfterEach
  void stop() {
    web.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + web.getAddress().getPort() + path;
  }

  MessageRequest image(String session, String to, String url) {
    return MessageRequest.builder().session(session).to(to)
        .content(new MessageContent.Image(MediaSource.url(url, "image/jpeg"), null)).build();
  }

  @Test
  void aUrlAtAPrivateAddressIsRefusedAtSendUnlessAllowed() throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    MediaStore store = new FileSystemMediaStore(dir, time.clock());
    try (SimHarness h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.media(MediaConfig.of(store)))) {
      h.pair("alice", "+491701111111");
      assertThatThrownBy(() -> h.gateway.send(image("alice", "+491702222222", url("/a.jpg"))))
          .isInstanceOf(ValidationException.class).hasMessageContaining("content.media.url")
          .hasMessageContaining("private address (127.0.0.1)");
      assertThatThrownBy(() -> h.gateway.send(image("alice", "+491702222222", "http://no-such-host.invalid/a.jpg")))
          .hasMessageContaining("does not resolve");
      assertThat(h.gateway.queueStats().total().waiting()).as("nothing was queued").isZero();
    }
  }

  @Test
  void anAllowedUrlIsFetchedFollowingRedirectsStoredAndSentAsBytesAndBadOnesDeadLetteredWithTheReason()
      throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    MediaStore store = new FileSystemMediaStore(dir, time.clock());
    try (SimHarness h = new SimHarness(time, SimulatedConfig.defaults(),
        b -> b.media(MediaConfig.of(store).withPrivateNetworksAllowed(true)))) {
      h.pair("alice", "+491701111111");
      h.pair("bob", "+491702222222");
      OutboundMessage ok = h.gateway.send(image("alice", "+491702222222", url("/r")));
      OutboundMessage fake = h.gateway.send(image("alice", "+491703333333", url("/fake.jpg")));
      OutboundMessage big = h.gateway.send(image("alice", "+491704444444", url("/big.jpg")));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        h.time.advance(Duration.ofMillis(200));
        return done(h, ok.id()) && done(h, fake.id()) && done(h, big.id());
      });
      assertThat(h.gateway.message(ok.id()).orElseThrow().status().isAccepted()).isTrue();
      MessageContent.Image atBob = (MessageContent.Image) h.events(GatewayEvent.MessageReceived.class, "bob").get(0)
          .message().content();
      assertThat(((MediaSource.Stored) atBob.media()).mediaId()).isEqualTo(MediaStoreContract.sha256(jpeg));
      MessageInfo f = h.gateway.message(fake.id()).orElseThrow();
      assertThat(f.status()).isEqualTo(MessageStatus.DEAD_LETTERED);
      assertThat(f.lastFailure().code()).isEqualTo("media_refused");
      assertThat(f.lastFailure().detail()).contains("application/pdf");
      MessageInfo b = h.gateway.message(big.id()).orElseThrow();
      assertThat(b.lastFailure().code()).isEqualTo("media_refused");
      assertThat(b.lastFailure().detail()).contains("larger than " + (5 * 1024 * 1024));
    }
  }

  private static boolean done(SimHarness h, String id) {
    MessageStatus s = h.gateway.message(id).orElseThrow().status();
    return s.isAccepted() || s == MessageStatus.DEAD_LETTERED;
  }
}
