package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import dev.wagateway.queue.EnqueueResult;
import dev.wagateway.queue.QueueStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Enqueues that arrive while another is being written are stored together in the next
 * transaction, and a message that cannot be stored fails alone: the rest of its group is kept.
 */
class GroupCommitTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final AtomicInteger IDS = new AtomicInteger();

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(GroupCommitTest.class);
  }

  static OutboundMessage message(String to) {
    return new OutboundMessage("msg_gc" + IDS.incrementAndGet(),
        MessageRequest.builder().session("s").to(to).text("hello").build(), T0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void waitingEnqueuesShareOneTransactionAndABadOneFailsAlone(String dialect) throws Exception {
    try (HikariDataSource ds = TransactionalOutboxTest.database(dialect); JdbcStores stores = JdbcStores.on(ds).migrate();
        AutoCloseableExecutor pool = new AutoCloseableExecutor(12)) {
      QueueStore store = stores.queueStore();
      // every writer slot (PostgreSQL writes a few groups at once, SQLite one) is held by a message
      // whose listener waits, so the next enqueues queue up and form one group
      int writers = field(store, "maxWriters");
      CountDownLatch writing = new CountDownLatch(writers);
      CountDownLatch release = new CountDownLatch(1);
      Map<String, AtomicInteger> told = new ConcurrentHashMap<>();
      List<OutboundMessage> holders = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        holders.add(message("+49170000000" + i));
      }
      List<OutboundMessage> group = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        group.add(message("+49170000010" + i));
      }
      OutboundMessage bad = group.get(2);
      store.setChangeListener((m, attempts, ch) -> {
        told.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
        if (holders.contains(m)) {
          writing.countDown();
          await().atMost(Duration.ofSeconds(20)).until(() -> release.getCount() == 0);
        }
        if (m.id().equals(bad.id())) {
          throw new IllegalStateException("listener refuses " + m.id());
        }
      });
      List<Future<EnqueueResult>> held = new ArrayList<>();
      for (OutboundMessage m : holders) { // one at a time, so each is a group of its own and holds a slot
        long before = writing.getCount();
        held.add(pool.submit(() -> store.enqueue(m, T0, Duration.ofHours(1))));
        await().atMost(Duration.ofSeconds(10)).until(() -> writing.getCount() == before - 1);
      }
      List<Future<EnqueueResult>> fs = new ArrayList<>();
      for (OutboundMessage m : group) {
        fs.add(pool.submit(() -> store.enqueue(m, T0, Duration.ofHours(1))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> waiting(store) == group.size());
      release.countDown();

      for (Future<EnqueueResult> f : held) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(EnqueueResult.Accepted.class);
      }
      for (int i = 0; i < group.size(); i++) {
        OutboundMessage m = group.get(i);
        if (m == bad) {
          assertThat(fs.get(i)).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
              .withMessageContaining("listener refuses " + bad.id());
          assertThat(store.get(m.id())).isEmpty();
        } else {
          assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).isInstanceOf(EnqueueResult.Accepted.class);
          assertThat(store.get(m.id()).orElseThrow().history()).extracting(StatusLog.Change::cause)
              .containsExactly("accepted");
        }
        // the bad one twice: once in the group's transaction (which it rolled back), once alone; the
        // others once alone and, if they queued before it, once in the group too
        assertThat(told.get(m.id()).get()).as(m.id()).isBetween(m == bad ? 2 : 1, 2);
      }
      assertThat(store.claim("s", T0, 20, Duration.ofMinutes(1))).hasSize(writers + 4);
    }
  }

  static int field(QueueStore store, String name) throws Exception {
    var field = JdbcQueueStore.class.getDeclaredField(name);
    field.setAccessible(true);
    return field.getInt(store);
  }

  /** How many enqueue calls wait for a writer now. */
  static int waiting(QueueStore store) throws Exception {
    var field = JdbcQueueStore.class.getDeclaredField("waiting");
    field.setAccessible(true);
    Object queue = field.get(store);
    synchronized (queue) {
      return ((java.util.Collection<?>) queue).size();
    }
  }

  /** A fixed pool closed by try-with-resources (JDK 17 has no ExecutorService.close). */
  static final class AutoCloseableExecutor implements AutoCloseable {
    final ExecutorService pool;

    AutoCloseableExecutor(int threads) {
      pool = Executors.newFixedThreadPool(threads);
    }

    <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
      return pool.submit(task);
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
