package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link SeenIds}; a store module supplies an empty one. */
public abstract class SeenIdsContract {
  protected static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  protected SeenIds seen;

  protected abstract SeenIds createSeenIds() throws Exception;

  @BeforeEach
  void setUpSeen() throws Exception {
    seen = createSeenIds();
  }

  @Test
  void aRememberedKeyIsSeenUntilItExpiresThenPurged() {
    assertThat(seen.contains("msg:a", T0)).isFalse();
    seen.remember("msg:a", T0.plusSeconds(60));
    assertThat(seen.contains("msg:a", T0.plusSeconds(59))).isTrue();
    assertThat(seen.contains("msg:b", T0)).as("other keys are not").isFalse();
    assertThat(seen.contains("msg:a", T0.plusSeconds(60))).as("expired at its expiry").isFalse();
    seen.remember("msg:b", T0.plusSeconds(600));
    assertThat(seen.purgeExpired(T0.plusSeconds(61))).isEqualTo(1);
    assertThat(seen.contains("msg:b", T0.plusSeconds(61))).isTrue();
  }

  @Test
  void rememberingAgainKeepsTheLaterExpiry() {
    seen.remember("k", T0.plusSeconds(100));
    seen.remember("k", T0.plusSeconds(10));
    assertThat(seen.contains("k", T0.plusSeconds(50))).isTrue();
    seen.remember("k", T0.plusSeconds(500));
    assertThat(seen.contains("k", T0.plusSeconds(400))).isTrue();
  }

  @Test
  void keysAreCheckedAndLongOnesKeptWhole() {
    assertThatThrownBy(() -> seen.remember("", T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> seen.contains("x".repeat(SeenIds.MAX_KEY_LENGTH + 1), T0))
        .isInstanceOf(IllegalArgumentException.class);
    String longKey = "status:wamid." + "A".repeat(SeenIds.MAX_KEY_LENGTH - 20) + ":read";
    seen.remember(longKey, T0.plusSeconds(5));
    assertThat(seen.contains(longKey, T0)).isTrue();
    assertThat(seen.contains(longKey.replace(":read", ":sent"), T0)).isFalse();
  }

  @Test
  void concurrentWritersOfTheSameAndOtherKeysAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            seen.remember("shared:" + i, T0.plusSeconds(100));
            seen.remember("own:" + thread + ":" + i, T0.plusSeconds(100));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 100; i++) {
      assertThat(seen.contains("shared:" + i, T0)).isTrue();
      for (int t = 0; t < 8; t++) {
        assertThat(seen.contains("own:" + t + ":" + i, T0)).isTrue();
      }
    }
  }
}
