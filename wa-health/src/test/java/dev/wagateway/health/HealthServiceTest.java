package dev.wagateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.StoreException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthServiceTest {

  static HealthCheck fixed(String name, HealthStatus s) {
    return HealthCheck.of(name, Set.of(HealthCheck.Group.READINESS), () -> HealthResult.of(s, Map.of("n", 1)));
  }

  @Test
  void theWorstStatusWins() {
    try (HealthService h = HealthService.builder().check(fixed("a", HealthStatus.UP))
        .check(fixed("b", HealthStatus.DEGRADED)).build()) {
      HealthReport r = h.report();
      assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(r.checks().keySet()).containsExactly("a", "b");
    }
    try (HealthService h = HealthService.builder().check(fixed("a", HealthStatus.DEGRADED))
        .check(fixed("b", HealthStatus.DOWN)).build()) {
      assertThat(h.report().status()).isEqualTo(HealthStatus.DOWN);
    }
  }

  @Test
  void aHangingCheckIsDownAfterItsTimeoutAndNeverHoldsTheReport() {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    HealthCheck hang = HealthCheck.of("hang", Set.of(HealthCheck.Group.READINESS), () -> {
      started.incrementAndGet();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return HealthResult.up();
    });
    try (HealthService h = HealthService.builder().check(hang).check(fixed("ok", HealthStatus.UP))
        .timeout(Duration.ofMillis(300)).build()) {
      long t0 = System.nanoTime();
      HealthReport r = h.report();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isBetween(250L, 1_500L);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.checks().get("hang").details()).containsEntry("reason", "no answer within PT0.3S");
      assertThat(r.checks().get("ok").status()).isEqualTo(HealthStatus.UP);
      // still hanging: not started a second time, reported at once
      long t1 = System.nanoTime();
      HealthReport again = h.report();
      assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(250);
      assertThat(again.checks().get("hang").details()).containsEntry("reason", "an earlier run has not finished");
      assertThat(started).hasValue(1);
    } finally {
      never.countDown();
    }
  }

  @Test
  void aThrowingCheckIsDownWithAReasonThatLeaksNothingForeign() {
    HealthCheck ours = HealthCheck.of("store", Set.of(), () -> {
      throw new StoreException("session store unreachable: connection refused");
    });
    HealthCheck foreign = HealthCheck.of("other", Set.of(), () -> {
      throw new IllegalStateException("password=hunter2");
    });
    try (HealthService h = HealthService.builder().check(ours).check(foreign).build()) {
      HealthReport r = h.report();
      assertThat(r.checks().get("store").details().get("reason"))
          .isEqualTo("check failed: session store unreachable: connection refused");
      assertThat(r.checks().get("other").details().get("reason")).isEqualTo("check failed: IllegalStateException");
    }
  }

  @Test
  void resultsAreCachedWhenAsked() {
    AtomicInteger calls = new AtomicInteger();
    HealthCheck counted = HealthCheck.of("c", Set.of(), () -> {
      calls.incrementAndGet();
      return HealthResult.up();
    });
    try (HealthService h = HealthService.builder().check(counted).cacheFor(Duration.ofMinutes(1)).build()) {
      h.report();
      h.report();
      assertThat(calls).hasValue(1);
    }
    calls.set(0);
    try (HealthService h = HealthService.builder().check(counted).build()) {
      h.report();
      h.report();
      assertThat(calls).hasValue(2);
    }
  }

  @Test
  void groupsSelectChecks() {
    HealthCheck live = HealthCheck.of("live", Set.of(HealthCheck.Group.LIVENESS), HealthResult::up);
    try (HealthService h = HealthService.builder().check(live).check(fixed("ready", HealthStatus.DOWN)).build()) {
      assertThat(h.report(HealthCheck.Group.LIVENESS).checks().keySet()).containsExactly("live");
      assertThat(h.report(HealthCheck.Group.LIVENESS).status()).isEqualTo(HealthStatus.UP);
      assertThat(h.report(HealthCheck.Group.READINESS).status()).isEqualTo(HealthStatus.DOWN);
      assertThat(h.report().checks()).hasSize(2);
    }
  }
}
