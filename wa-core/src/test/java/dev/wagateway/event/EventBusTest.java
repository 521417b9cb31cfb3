package dev.wagateway.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wagateway.internal.EventBus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusTest {
  final EventBus bus = new EventBus();
  final AtomicLong ids = new AtomicLong();

  @AfterEach
  void close() {
    bus.close();
  }

  GatewayEvent event(String session) {
    return new GatewayEvent.SessionCreated("evt_" + ids.incrementAndGet(), Instant.EPOCH, session);
  }

  @Test
  void aBlockedListenerNeitherBlocksThePublisherNorCostsOthersEvents() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Subscription slow = bus.subscribe(e -> {
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }, SubscribeOptions.async("slow").withBufferCapacity(100));
    List<GatewayEvent> fast = new CopyOnWriteArrayList<>();
    bus.subscribe("fast", fast::add);
    List<GatewayEvent> sync = new ArrayList<>();
    bus.subscribe(sync::add, SubscribeOptions.sync("sync"));

    long start = System.nanoTime();
    for (int i = 0; i < 5_000; i++) {
      bus.publish(event("s1"));
    }
    long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(sync).hasSize(5_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> fast.size() == 5_000);
    // the slow one holds 1 event in its listener and 100 buffered; the rest were dropped, counted
    SubscriptionStats s = slow.stats();
    assertThat(s.dropped()).isBetween(4_899L, 4_900L);
    assertThat(s.pending() + s.dropped() + 1).isBetween(5_000L, 5_001L);
    // 5,000 publishes while a listener is stuck: bounded by buffer work, not by the stuck listener
    assertThat(publishMillis).isLessThan(5_000);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.stats().pending() == 0);
  }

  @Test
  void aThrowingListenerIsCountedAndOthersStillGetEverything() {
    Subscription bad = bus.subscribe(e -> {
      throw new IllegalStateException("listener bug");
    }, SubscribeOptions.sync("bad"));
    List<GatewayEvent> good = new ArrayList<>();
    bus.subscribe(good::add, SubscribeOptions.sync("good"));
    Subscription badAsync = bus.subscribe("bad-async", e -> {
      throw new IllegalStateException("listener bug");
    });
    for (int i = 0; i < 10; i++) {
      bus.publish(event("s1"));
    }
    assertThat(good).hasSize(10);
    assertThat(bad.stats().failed()).isEqualTo(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> badAsync.stats().failed() == 10);
  }

  @Test
  void eachAsyncSubscriberSeesPublicationOrder() {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    bus.subscribe(e -> seen.add(e.id()), SubscribeOptions.async("order").withBufferCapacity(20_000));
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      GatewayEvent e = event("s1");
      published.add(e.id());
      bus.publish(e);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 20_000);
    assertThat(new ArrayList<>(seen)).containsExactlyElementsOf(published);
  }

  @Test
  void dropsAreCountedExactly() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicLong got = new AtomicLong();
    Subscription s = bus.subscribe(e -> {
      try {
        gate.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      got.incrementAndGet();
    }, SubscribeOptions.async("gated").withBufferCapacity(1_000));
    for (int i = 0; i < 3_000; i++) {
      bus.publish(event("s1"));
    }
    gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.stats().pending() == 0 && got.get() > 0);
    assertThat(bus.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(got.get() + s.stats().dropped()).isEqualTo(3_000);
    assertThat(s.stats().delivered()).isEqualTo(got.get());
  }

  @Test
  void filtersSelectByType() {
    List<GatewayEvent> got = new ArrayList<>();
    bus.subscribe(got::add, SubscribeOptions.sync("types").withTypes(Set.of("session.deleted")));
    bus.publish(event("s1"));
    bus.publish(new GatewayEvent.SessionDeleted("evt_x", Instant.EPOCH, "s1"));
    assertThat(got).extracting(GatewayEvent::type).containsExactly("session.deleted");
  }

  @Test
  void manyPublishingThreadsLoseNothing() throws Exception {
    AtomicLong syncCount = new AtomicLong();
    bus.subscribe(e -> syncCount.incrementAndGet(), SubscribeOptions.sync("sync"));
    Subscription async = bus.subscribe(e -> {}, SubscribeOptions.async("async").withBufferCapacity(200_000));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 10_000; i++) {
            bus.publish(event("s" + (i % 5)));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(syncCount.get()).isEqualTo(80_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> async.stats().delivered() == 80_000);
    assertThat(async.stats().dropped()).isZero();
  }

  @Test
  void closedSubscriptionsReceiveNothing() {
    List<GatewayEvent> got = new ArrayList<>();
    Subscription s = bus.subscribe(got::add, SubscribeOptions.sync("x"));
    bus.publish(event("s1"));
    s.close();
    bus.publish(event("s1"));
    assertThat(got).hasSize(1);
    assertThat(bus.stats()).isEmpty();
  }
}
