package dev.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link MediaStore}; a store module supplies an empty subclass. */
public abstract class MediaStoreContract {
  protected static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  protected MediaStore store;

  protected abstract MediaStore createStore() throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore();
  }

  protected static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  protected static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  static MediaStore.Put put(String mime) {
    return new MediaStore.Put(mime, "wamid.1", "sales", null);
  }

  @Test
  void bytesGoInAndComeBackUnderTheirSha256WithTheirMetadata() throws Exception {
    byte[] data = random(300_000, 1);
    StoredMedia m = store.put(new ByteArrayInputStream(data), new MediaStore.Put("image/jpeg", "wamid.in", "sales",
        T0.plusSeconds(3600)), 1_000_000);
    assertThat(m.id()).isEqualTo(sha256(data)).isEqualTo(m.sha256());
    assertThat(m.size()).isEqualTo(data.length);
    assertThat(m.mimeType()).isEqualTo("image/jpeg");
    assertThat(m.sourceMessageId()).isEqualTo("wamid.in");
    assertThat(m.sessionId()).isEqualTo("sales");
    assertThat(store.metadata(m.id())).contains(m);
    assertThat(read(store.open(m.id()).orElseThrow())).isEqualTo(data);
  }

  @Test
  void rangesReadJustTheirBytes() throws Exception {
    byte[] data = random(10_000, 2);
    StoredMedia m = store.put(new ByteArrayInputStream(data), put("application/pdf"), 20_000);
    assertThat(read(store.open(m.id(), 100, 50).orElseThrow())).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
    assertThat(read(store.open(m.id(), 9_990, -1).orElseThrow())).isEqualTo(
        java.util.Arrays.copyOfRange(data, 9_990, 10_000));
    assertThat(read(store.open(m.id(), 0, 1).orElseThrow())).containsExactly(data[0]);
  }

  @Test
  void theSameBytesTwiceAreOneObjectKeepingTheLaterExpiry() throws Exception {
    byte[] data = random(1000, 3);
    StoredMedia a = store.put(new ByteArrayInputStream(data), new MediaStore.Put("audio/ogg", "m1", "s", T0.plusSeconds(10)),
        5000);
    StoredMedia b = store.put(new ByteArrayInputStream(data), new MediaStore.Put("audio/ogg", "m2", "s", T0.plusSeconds(99)),
        5000);
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(b.sourceMessageId()).as("the first source stays").isEqualTo("m1");
    assertThat(store.metadata(a.id()).orElseThrow().expiresAt()).isEqualTo(T0.plusSeconds(99));
  }

  @Test
  void overTheLimitNothingIsKept() throws Exception {
    byte[] data = random(5001, 4);
    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(data), put("image/png"), 5000))
        .isInstanceOf(MediaTooLargeException.class).hasMessageContaining("5000");
    assertThat(store.metadata(sha256(data))).isEmpty();
    assertThat(store.open(sha256(data))).isEmpty();
  }

  @Test
  void deleteAndRetention() throws Exception {
    StoredMedia keep = store.put(new ByteArrayInputStream(random(100, 5)), new MediaStore.Put("image/png", null, null,
        null), 1000);
    StoredMedia old = store.put(new ByteArrayInputStream(random(100, 6)), new MediaStore.Put("image/png", null, null,
        T0.plusSeconds(60)), 1000);
    StoredMedia later = store.put(new ByteArrayInputStream(random(100, 7)), new MediaStore.Put("image/png", null, null,
        T0.plusSeconds(600)), 1000);
    assertThat(store.deleteExpired(T0.plusSeconds(61))).isEqualTo(1);
    assertThat(store.metadata(old.id())).isEmpty();
    assertThat(store.metadata(keep.id())).isPresent();
    assertThat(store.metadata(later.id())).isPresent();
    assertThat(store.delete(later.id())).isTrue();
    assertThat(store.delete(later.id())).isFalse();
    assertThat(store.open(later.id())).isEmpty();
  }

  @Test
  void idsThatAreNotContentAddressesAreRefusedBeforeAnyLookup() {
    for (String bad : new String[] {"../../etc/passwd", "ABC", "0".repeat(63), "g".repeat(64), "/" + "0".repeat(63)}) {
      assertThatThrownBy(() -> store.metadata(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(store.metadata("0".repeat(64))).isEmpty();
  }

  @Test
  void concurrentPutsOfTheSameAndOtherBytesAllLandWhole() throws Exception {
    byte[] shared = random(200_000, 8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<StoredMedia>> fs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int n = i;
        fs.add(pool.submit(() -> store.put(new ByteArrayInputStream(n % 2 == 0 ? shared : random(50_000, 100 + n)),
            put("application/pdf"), 1_000_000)));
      }
      for (Future<StoredMedia> f : fs) {
        StoredMedia m = f.get();
        byte[] back = read(store.open(m.id()).orElseThrow());
        assertThat(sha256(back)).isEqualTo(m.id());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(read(store.open(sha256(shared)).orElseThrow())).isEqualTo(shared);
  }

  @Test
  void pingAnswersWhenTheStoreIsThere() throws Exception {
    store.ping();
  }
}
