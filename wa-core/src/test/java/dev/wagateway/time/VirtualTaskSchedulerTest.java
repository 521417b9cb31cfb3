package dev.wagateway.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTaskSchedulerTest {

  @Test
  void runsTasksAtTheirDueTimeInOrder() {
    VirtualTaskScheduler s = new VirtualTaskScheduler();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + s.now().getEpochSecond() % 60));
    s.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + s.now().getEpochSecond() % 60));
    s.schedule(Duration.ofSeconds(1), () -> ran.add("a2@" + s.now().getEpochSecond() % 60));
    s.advance(Duration.ofMillis(999));
    assertThat(ran).isEmpty();
    s.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("a@1", "a2@1", "b@2");
    assertThat(s.now()).isEqualTo(VirtualTaskScheduler.DEFAULT_START.plusMillis(5999));
  }

  @Test
  void periodicTasksRepeatUntilCancelled() {
    VirtualTaskScheduler s = new VirtualTaskScheduler();
    int[] n = {0};
    TaskScheduler.Cancellable c = s.scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> n[0]++);
    s.advance(Duration.ofSeconds(10));
    assertThat(n[0]).isEqualTo(10);
    c.cancel();
    s.advance(Duration.ofSeconds(10));
    assertThat(n[0]).isEqualTo(10);
    assertThat(s.pendingTasks()).isZero();
  }

  @Test
  void tasksScheduledByTasksRunInTheSameAdvance() {
    VirtualTaskScheduler s = new VirtualTaskScheduler();
    List<Long> at = new ArrayList<>();
    s.schedule(Duration.ofSeconds(1), () -> {
      at.add(s.now().getEpochSecond());
      s.schedule(Duration.ofSeconds(1), () -> at.add(s.now().getEpochSecond()));
    });
    s.advance(Duration.ofSeconds(3));
    assertThat(at).hasSize(2);
    assertThat(at.get(1) - at.get(0)).isEqualTo(1);
  }

  @Test
  void aThrowingTaskDoesNotStopTheOthers() {
    VirtualTaskScheduler s = new VirtualTaskScheduler();
    int[] n = {0};
    s.schedule(Duration.ZERO, () -> {
      throw new IllegalStateException("boom");
    });
    s.schedule(Duration.ZERO, () -> n[0]++);
    s.runPending();
    assertThat(n[0]).isEqualTo(1);
  }

  @Test
  void advanceFromInsideATaskIsRefused() {
    VirtualTaskScheduler s = new VirtualTaskScheduler();
    RuntimeException[] caught = new RuntimeException[1];
    s.schedule(Duration.ZERO, () -> {
      try {
        s.advance(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        caught[0] = e;
      }
    });
    s.runPending();
    assertThat(caught[0]).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
