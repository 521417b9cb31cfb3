package dev.wagateway.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StatusLogProperties {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** Any order of observations: progress never goes backwards, the log never holds a regression. */
  @Property(tries = 2000)
  void observationsNeverMoveBackwards(@ForAll @Size(max = 30) List<MessageStatus> observations) {
    StatusLog log = new StatusLog(MessageStatus.QUEUED, T, "accepted");
    for (MessageStatus s : observations) {
      MessageStatus before = log.current();
      boolean applied = log.advance(s, T).isPresent();
      assertThat(applied).isEqualTo(before.canAdvanceTo(s));
      if (before.isAccepted()) {
        assertThat(log.current().isProgress()
            ? log.current().ordinal() >= before.ordinal() : log.current() == MessageStatus.FAILED)
            .as("%s -> %s", before, log.current()).isTrue();
      }
    }
    List<StatusLog.Change> h = log.history();
    for (int i = 1; i < h.size(); i++) {
      MessageStatus a = h.get(i - 1).status();
      MessageStatus b = h.get(i).status();
      assertThat(a.canAdvanceTo(b)).as("history step %s -> %s", a, b).isTrue();
    }
  }

  /** Receipts shuffled: whatever the order, a message that was read ends READ. */
  @Property
  void shuffledReceiptsEndAtTheHighest(@ForAll("receiptOrders") List<MessageStatus> order) {
    StatusLog log = new StatusLog(MessageStatus.QUEUED, T, "accepted");
    log.advance(MessageStatus.SENDING, T);
    for (MessageStatus s : order) {
      log.advance(s, T);
    }
    assertThat(log.current()).isEqualTo(MessageStatus.READ);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<MessageStatus>> receiptOrders() {
    return net.jqwik.api.Arbitraries.shuffle(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ);
  }

  @Test
  void lateDeliveredAfterReadIsIgnored() {
    StatusLog log = new StatusLog(MessageStatus.QUEUED, T, "accepted");
    assertThat(log.advance(MessageStatus.READ, T.plusSeconds(2))).isPresent();
    assertThat(log.advance(MessageStatus.DELIVERED, T.plusSeconds(3))).isEmpty();
    assertThat(log.advance(MessageStatus.SENT, T.plusSeconds(4))).isEmpty();
    assertThat(log.current()).isEqualTo(MessageStatus.READ);
    assertThat(log.history()).extracting(StatusLog.Change::status)
        .containsExactly(MessageStatus.QUEUED, MessageStatus.READ);
  }

  @Test
  void restartIsRefusedOnceAccepted() {
    StatusLog log = new StatusLog(MessageStatus.QUEUED, T, "accepted");
    log.advance(MessageStatus.SENDING, T);
    log.advance(MessageStatus.FAILED, T, Failure.of(FailureType.TRANSIENT, "503", "x"), "503");
    assertThat(log.restart(T, "retry 2").status()).isEqualTo(MessageStatus.QUEUED);
    log.advance(MessageStatus.SENT, T);
    assertThatThrownBy(() -> log.restart(T, "retry 3")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be sent again");
    assertThat(log.lastFailure()).map(Failure::code).contains("503");
  }
}
