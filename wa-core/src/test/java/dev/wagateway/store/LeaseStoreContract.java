package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.store.LeaseStore.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link LeaseStore}; a store module supplies an empty one. */
public abstract class LeaseStoreContract {
  protected static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  protected static final Duration TTL = Duration.ofSeconds(15);
  protected LeaseStore leases;

  protected abstract LeaseStore createLeaseStore() throws Exception;

  @BeforeEach
  void setUpLeases() throws Exception {
    leases = createLeaseStore();
  }

  @Test
  void aFreeLeaseIsTakenRenewedByItsOwnerAndRefusedToOthersUntilItExpires() {
    Lease first = leases.acquire("s", "gw-1", T0, TTL).orElseThrow();
    assertThat(first.owner()).isEqualTo("gw-1");
    assertThat(first.expiresAt()).isEqualTo(T0.plus(TTL));
    Lease renewed = leases.acquire("s", "gw-1", T0.plusSeconds(5), TTL).orElseThrow();
    assertThat(renewed.token()).as("renewing keeps the token").isEqualTo(first.token());
    assertThat(renewed.expiresAt()).isEqualTo(T0.plusSeconds(5).plus(TTL));
    assertThat(leases.acquire("s", "gw-2", T0.plusSeconds(19), TTL)).as("still gw-1's").isEmpty();

    Lease taken = leases.acquire("s", "gw-2", T0.plusSeconds(20), TTL).orElseThrow();
    assertThat(taken.owner()).isEqualTo("gw-2");
    assertThat(taken.token()).as("a new owner, a higher token").isGreaterThan(first.token());
    assertThat(leases.acquire("s", "gw-1", T0.plusSeconds(21), TTL)).as("the old owner cannot renew").isEmpty();
    assertThat(leases.get("s")).contains(taken);
  }

  @Test
  void aReleasedLeaseIsFreeAndKeepsItsTokenGrowing() {
    Lease a = leases.acquire("s", "gw-1", T0, TTL).orElseThrow();
    leases.release("s", "gw-2", a.token()); // not gw-2's: nothing happens
    assertThat(leases.acquire("s", "gw-2", T0.plusSeconds(1), TTL)).isEmpty();
    leases.release("s", "gw-1", a.token());
    Lease b = leases.acquire("s", "gw-2", T0.plusSeconds(1), TTL).orElseThrow();
    assertThat(b.token()).isGreaterThan(a.token());
    leases.acquire("t", "gw-1", T0, TTL);
    assertThat(leases.list()).extracting(Lease::sessionId).containsExactly("s", "t");
  }

  @Test
  void concurrentTakeoversOfOneExpiredLeaseHaveOneWinner() throws Exception {
    leases.acquire("s", "gw-0", T0, TTL);
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        String owner = "gw-" + i;
        fs.add(pool.submit(() -> {
          go.await();
          return leases.acquire("s", owner, T0.plus(TTL), TTL).isPresent();
        }));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : fs) {
        winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(leases.get("s").orElseThrow().owner()).isNotEqualTo("gw-0");
    } finally {
      pool.shutdownNow();
    }
  }
}
