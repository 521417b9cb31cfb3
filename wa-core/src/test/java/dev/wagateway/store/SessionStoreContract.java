package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.jid.Jid;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SessionStore} keeps. A store module extends this class and supplies
 * {@link #createStore()}, which must return an empty store.
 */
public abstract class SessionStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected SessionStore store;

  /** An empty store. */
  protected abstract SessionStore createStore() throws Exception;

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore();
  }

  @Test
  void loadOfUnknownIdIsEmpty() {
    assertThat(store.load("nope")).isEmpty();
    assertThat(store.loadAll()).isEmpty();
  }

  @Test
  void savedRecordLoadsEqual() {
    SessionRecord r = SessionRecord.create("s1", SessionOptions.defaults(), T0);
    store.save(r);
    assertThat(store.load("s1")).contains(r);
  }

  @Test
  void credentialsRoundTripByteForByte() {
    byte[] secret = new byte[256];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) i;
    }
    SessionRecord r = SessionRecord.create("s1", SessionOptions.defaults(), T0)
        .withCredentials(Jid.ofPhone("+491701234567"), secret, T0.plusSeconds(5));
    store.save(r);
    SessionRecord loaded = store.load("s1").orElseThrow();
    assertThat(loaded.credentials()).containsExactly(secret);
    assertThat(loaded.self()).isEqualTo(Jid.ofPhone("+491701234567"));
    assertThat(loaded.updatedAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void pairingTimeSurvivesAndIsClearedWithTheCredentials() {
    SessionRecord r = SessionRecord.create("s1", SessionOptions.defaults(), T0)
        .paired(Jid.ofPhone("+491701234567"), new byte[] {9}, T0.plusSeconds(30));
    store.save(r);
    assertThat(store.load("s1").orElseThrow().pairedAt()).isEqualTo(T0.plusSeconds(30));
    store.save(store.load("s1").orElseThrow().withoutCredentials(T0.plusSeconds(60)));
    assertThat(store.load("s1").orElseThrow().pairedAt()).isNull();
  }

  @Test
  void pairingOptionsSurvive() {
    SessionOptions opts = new SessionOptions(PairingMethod.phoneCode("+44 7700 900123"), false);
    store.save(SessionRecord.create("s2", opts, T0));
    assertThat(store.load("s2").orElseThrow().options()).isEqualTo(opts);
  }

  @Test
  void saveReplacesAndWipedCredentialsStayWiped() {
    SessionRecord r = SessionRecord.create("s1", SessionOptions.defaults(), T0)
        .withCredentials(Jid.ofPhone("+491701234567"), new byte[] {1, 2, 3}, T0);
    store.save(r);
    store.save(r.withoutCredentials(T0.plusSeconds(1)));
    SessionRecord loaded = store.load("s1").orElseThrow();
    assertThat(loaded.hasCredentials()).isFalse();
    assertThat(loaded.self()).isNull();
    assertThat(store.loadAll()).hasSize(1);
  }

  @Test
  void deleteRemovesAndReportsWhetherItDid() {
    store.save(SessionRecord.create("s1", SessionOptions.defaults(), T0));
    assertThat(store.delete("s1")).isTrue();
    assertThat(store.delete("s1")).isFalse();
    assertThat(store.load("s1")).isEmpty();
  }

  @Test
  void loadAllReturnsEveryRecord() {
    for (int i = 0; i < 25; i++) {
      store.save(SessionRecord.create("s" + i, SessionOptions.defaults(), T0));
    }
    assertThat(store.loadAll()).extracting(SessionRecord::id).hasSize(25).doesNotHaveDuplicates();
  }

  @Test
  void timestampsKeepMillisecondPrecision() {
    Instant t = T0.plusMillis(1234);
    store.save(SessionRecord.create("s1", SessionOptions.defaults(), t));
    assertThat(store.load("s1").orElseThrow().createdAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(t);
  }

  @Test
  void concurrentWritersOfDistinctSessionsLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            String id = "t" + thread + "-" + i;
            store.save(SessionRecord.create(id, SessionOptions.defaults(), T0)
                .withCredentials(null, new byte[] {(byte) thread, (byte) i}, T0));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.loadAll()).hasSize(400);
    assertThat(store.load("t7-49").orElseThrow().credentials()).containsExactly(7, 49);
  }
}
