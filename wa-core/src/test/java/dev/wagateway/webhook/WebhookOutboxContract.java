package dev.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link WebhookOutbox}; a store module supplies an empty one. */
public abstract class WebhookOutboxContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Duration LEASE = Duration.ofMinutes(1);
  private static final AtomicLong IDS = new AtomicLong();
  protected WebhookOutbox outbox;

  protected abstract WebhookOutbox createOutbox() throws Exception;

  @BeforeEach
  void setUpOutbox() throws Exception {
    outbox = createOutbox();
  }

  protected static WebhookDelivery delivery(String sub, @Nullable String orderingKey, Instant due) {
    long n = IDS.incrementAndGet();
    return new WebhookDelivery("whd_" + n, sub, "evt_" + n, "message.status", "s1",
        ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), orderingKey,
        WebhookDelivery.Status.PENDING, 0, T0, due, List.of());
  }

  static DeliveryAttempt attempt(int status) {
    return new DeliveryAttempt(T0, status, Duration.ofMillis(3), DeliveryOutcome.ofStatus(status), null, "");
  }

  private List<String> claimIds(Instant now) {
    return outbox.claim(now, 100, LEASE).stream().map(WebhookDelivery::id).toList();
  }

  @Test
  void appendedDeliveriesAreClaimedWhenDueOldestFirst() {
    WebhookDelivery a = delivery("sub", null, T0);
    WebhookDelivery b = delivery("sub", null, T0.plusSeconds(10));
    WebhookDelivery c = delivery("sub", null, T0);
    outbox.append(List.of(a, b, c));
    assertThat(claimIds(T0)).containsExactly(a.id(), c.id());
    assertThat(claimIds(T0.plusSeconds(10))).containsExactly(b.id());
    assertThat(outbox.get(a.id()).orElseThrow().status()).isEqualTo(WebhookDelivery.Status.IN_FLIGHT);
    assertThat(outbox.get(a.id()).orElseThrow().payload()).isEqualTo(a.payload());
  }

  @Test
  void retryRecordsTheAttemptAndWaitsForItsTime() {
    WebhookDelivery a = delivery("sub", null, T0);
    outbox.append(List.of(a));
    claimIds(T0);
    outbox.retry(a.id(), attempt(503), T0.plusSeconds(5));
    assertThat(claimIds(T0.plusSeconds(4))).isEmpty();
    assertThat(claimIds(T0.plusSeconds(5))).containsExactly(a.id());
    outbox.delivered(a.id(), attempt(200));
    WebhookDelivery done = outbox.get(a.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(WebhookDelivery.Status.DELIVERED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.log()).extracting(DeliveryAttempt::statusCode).containsExactly(503, 200);
  }

  @Test
  void orderedDeliveriesGoOneAtATimePerKey() {
    WebhookDelivery a = delivery("sub", "sub|s1", T0);
    WebhookDelivery b = delivery("sub", "sub|s1", T0);
    WebhookDelivery other = delivery("sub", "sub|s2", T0);
    outbox.append(List.of(a, b, other));
    assertThat(claimIds(T0)).containsExactly(a.id(), other.id());
    outbox.retry(a.id(), attempt(500), T0.plusSeconds(5));
    assertThat(claimIds(T0.plusSeconds(1))).as("b waits behind a's retry").isEmpty();
    assertThat(claimIds(T0.plusSeconds(5))).containsExactly(a.id());
    outbox.dead(a.id(), attempt(500));
    assertThat(claimIds(T0.plusSeconds(5))).containsExactly(b.id());
  }

  @Test
  void releaseAndLeaseExpiryReturnDeliveriesWithoutAnAttempt() {
    WebhookDelivery a = delivery("sub", null, T0);
    WebhookDelivery b = delivery("sub", null, T0);
    outbox.append(List.of(a, b));
    claimIds(T0);
    outbox.release(a.id(), T0.plusSeconds(90));
    assertThat(outbox.requeueExpiredLeases(T0.plus(LEASE))).isEqualTo(1);
    assertThat(claimIds(T0.plus(LEASE))).containsExactly(b.id());
    assertThat(claimIds(T0.plus(LEASE))).isEmpty();
    assertThat(outbox.get(a.id()).orElseThrow().attempts()).isZero();
  }

  @Test
  void atStartEveryLeaseIsFreedAndDueAtOnce() {
    WebhookDelivery a = delivery("sub", null, T0);
    outbox.append(List.of(a));
    claimIds(T0);
    assertThat(outbox.requeueLeases(T0.plus(Duration.ofDays(3650)), T0.plusSeconds(1))).isEqualTo(1);
    assertThat(claimIds(T0.plusSeconds(1))).containsExactly(a.id());
  }

  @Test
  void replayAndWake() {
    WebhookDelivery a = delivery("sub", null, T0);
    WebhookDelivery held = delivery("sub", null, T0);
    outbox.append(List.of(a, held));
    claimIds(T0);
    outbox.dead(a.id(), attempt(404));
    outbox.release(held.id(), T0.plus(Duration.ofDays(365)));
    assertThat(outbox.replay(a.id(), T0.plusSeconds(1))).isTrue();
    assertThat(outbox.replay("whd_unknown", T0)).isFalse();
    assertThat(outbox.wake("sub", T0.plusSeconds(1))).isEqualTo(1);
    assertThat(claimIds(T0.plusSeconds(1))).containsExactlyInAnyOrder(a.id(), held.id());
    assertThat(outbox.replay(a.id(), T0)).as("in flight: not replayable").isFalse();
  }

  @Test
  void listCountAndPrune() {
    WebhookDelivery a = delivery("sub1", null, T0);
    WebhookDelivery b = delivery("sub2", null, T0);
    outbox.append(List.of(a, b));
    claimIds(T0);
    outbox.delivered(a.id(), attempt(200));
    outbox.dead(b.id(), attempt(410));
    assertThat(outbox.list(new DeliveryFilter(null, null, null, 10))).extracting(WebhookDelivery::id)
        .containsExactly(b.id(), a.id());
    assertThat(outbox.list(DeliveryFilter.of("sub2").status(WebhookDelivery.Status.DEAD))).hasSize(1);
    assertThat(outbox.counts()).containsEntry(WebhookDelivery.Status.DELIVERED, 1L)
        .containsEntry(WebhookDelivery.Status.DEAD, 1L).containsEntry(WebhookDelivery.Status.PENDING, 0L);
    assertThat(outbox.pruneDelivered(T0.plusSeconds(1))).isEqualTo(1);
    assertThat(outbox.get(a.id())).isEmpty();
    assertThat(outbox.get(b.id())).as("dead ones stay").isPresent();
  }
}
