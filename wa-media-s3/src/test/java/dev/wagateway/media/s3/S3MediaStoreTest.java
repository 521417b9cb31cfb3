package dev.wagateway.media.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.media.MediaStore;
import dev.wagateway.media.MediaStoreContract;
import dev.wagateway.media.StoredMedia;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core's MediaStore contract, unchanged, on a real S3-compatible server; and a 50 MB multipart round trip. */
class S3MediaStoreTest extends MediaStoreContract {
  static S3rverProcess server;
  static final AtomicInteger PREFIX = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = S3rverProcess.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected MediaStore createStore() {
    // a prefix per test: the tests share the bucket but not their objects
    return server.store().prefix("t" + PREFIX.incrementAndGet() + "/").clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  /** {@code size} pseudo-random bytes, streamed (never all in memory), with their SHA-256 computed on the way. */
  static final class Generated extends InputStream {
    final Random r = new Random(11);
    long left;

    Generated(long size) {
      left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? r.nextInt(256) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] chunk = new byte[n];
      r.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      left -= n;
      return n;
    }
  }

  @Test
  void aFiftyMegabyteDocumentGoesUpInPartsAndComesBackWithTheSameSha256() throws Exception {
    long size = 50L * 1024 * 1024 + 12_345; // not a whole number of parts
    MessageDigest in = MessageDigest.getInstance("SHA-256");
    StoredMedia m;
    try (S3MediaStore s3 = server.store().prefix("big/").partSize(S3MediaStore.MIN_PART_SIZE * 2).build()) {
      m = s3.put(new DigestInputStream(new Generated(size), in), new MediaStore.Put("application/pdf", null, "s", null),
          100L * 1024 * 1024);
      String sent = HexFormat.of().formatHex(in.digest());
      assertThat(m.id()).isEqualTo(sent);
      assertThat(m.size()).isEqualTo(size);
      MessageDigest out = MessageDigest.getInstance("SHA-256");
      try (InputStream back = s3.open(m.id()).orElseThrow()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = back.read(buf)) > 0; ) {
          out.update(buf, 0, n);
        }
      }
      assertThat(HexFormat.of().formatHex(out.digest())).as("the same sha256 back").isEqualTo(sent);
      assertThat(s3.metadata(m.id()).orElseThrow().size()).isEqualTo(size);
    }
  }

  @Test
  void aLimitIsCheckedBeforeAnythingIsUploaded() throws Exception {
    try (S3MediaStore s3 = server.store().prefix("limit/").build()) {
      assertThatThrownBy(() -> s3.put(new SequenceInputStream(new Generated(6_000_000), InputStream.nullInputStream()),
          new MediaStore.Put("video/mp4", null, null, null), 5_000_000)).hasMessageContaining("5000000");
      assertThat(java.nio.file.Files.walk(server.dir).filter(java.nio.file.Files::isRegularFile)
          .anyMatch(p -> p.toString().contains("limit"))).as("nothing reached the server").isFalse();
    }
  }
}
