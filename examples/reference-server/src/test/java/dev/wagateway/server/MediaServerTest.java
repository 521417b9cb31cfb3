package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Media through the server: stored on arrival, served by id with ranges and scopes, and by signed link. */
class MediaServerTest {
  TestServer s;

  @BeforeEach
  void setUp() throws Exception {
    s = new TestServer(Map.of("WA_MEDIA_DIR", Files.createTempDirectory("wa-media").toString()));
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  HttpResponse<byte[]> raw(String url, String key, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (range != null) {
      b.header("Range", range);
    }
    return s.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anInboundImageIsServedByItsIdToItsSessionWithRangesAndBySignedLink() throws Exception {
    s.pair("a", "+491701111111");
    s.pair("b", "+491702222222");
    byte[] jpeg = new byte[120_000];
    new Random(5).nextBytes(jpeg);
    jpeg[0] = (byte) 0xFF;
    jpeg[1] = (byte) 0xD8;
    jpeg[2] = (byte) 0xFF;
    String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg));
    var sent = s.post("/api/sessions/a/messages", TestServer.KEY_A, "{\"to\":\"+491702222222\",\"type\":\"image\","
        + "\"media\":{\"data\":\"" + Base64.getEncoder().encodeToString(jpeg) + "\",\"mimeType\":\"image/jpeg\"}}");
    assertThat(sent.status()).isEqualTo(202);
    String base = "http://127.0.0.1:" + s.server.port();
    await().atMost(Duration.ofSeconds(15)).until(() -> raw(base + "/api/media/" + id, TestServer.KEY_B, null)
        .statusCode() == 200);

    HttpResponse<byte[]> whole = raw(base + "/api/media/" + id, TestServer.KEY_B, null);
    assertThat(whole.body()).as("byte-identical").isEqualTo(jpeg);
    assertThat(whole.headers().firstValue("Content-Type")).contains("image/jpeg");
    assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(raw(base + "/api/media/" + id, TestServer.KEY_A, null).statusCode())
        .as("session a's key does not see b's media").isEqualTo(404);
    assertThat(raw(base + "/api/media/" + id, TestServer.ADMIN, null).statusCode()).isEqualTo(200);
    assertThat(raw(base + "/api/media/" + id, null, null).statusCode()).isEqualTo(401);
    assertThat(raw(base + "/api/media/../../etc/passwd", TestServer.ADMIN, null).statusCode()).isIn(400, 404);

    HttpResponse<byte[]> part = raw(base + "/api/media/" + id, TestServer.KEY_B, "bytes=100-199");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/120000");
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(jpeg, 100, 200));
    HttpResponse<byte[]> tail = raw(base + "/api/media/" + id, TestServer.KEY_B, "bytes=-10");
    assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(jpeg, 119_990, 120_000));
    assertThat(raw(base + "/api/media/" + id, TestServer.KEY_B, "bytes=200000-").statusCode()).isEqualTo(416);
    assertThat(raw(base + "/api/media/" + id, TestServer.KEY_B, "pages=1").statusCode()).isEqualTo(416);

    var link = s.post("/api/media/" + id + "/link?ttl=1h", TestServer.KEY_B, null);
    assertThat(link.status()).isEqualTo(200);
    String url = link.body().path("url").asText();
    assertThat(url).startsWith("http://127.0.0.1:" + s.server.port() + "/media/" + id + "?expires=");
    HttpResponse<byte[]> viaLink = raw(url, null, null);
    assertThat(viaLink.statusCode()).isEqualTo(200);
    assertThat(viaLink.body()).isEqualTo(jpeg);
    assertThat(raw(url, null, "bytes=0-9").statusCode()).isEqualTo(206);
    String forged = url.substring(0, url.length() - 4) + (url.endsWith("0000") ? "1111" : "0000");
    assertThat(raw(forged, null, null).statusCode()).isEqualTo(403);
    String longer = url.replaceFirst("expires=(\\d+)", "expires=99999999999");
    assertThat(raw(longer, null, null).statusCode()).as("the expiry is signed too").isEqualTo(403);
    assertThat(s.post("/api/media/" + id + "/link?ttl=30d", TestServer.KEY_B, null).status()).isEqualTo(400);

    var expiring = s.post("/api/media/" + id + "/link?ttl=1s", TestServer.KEY_B, null).body().path("url").asText();
    Thread.sleep(2100);
    assertThat(raw(expiring, null, null).statusCode()).isEqualTo(410);

    assertThat(s.get("/health", TestServer.ADMIN).body().toString()).contains("media");
  }
}
