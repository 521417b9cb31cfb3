package dev.wagateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.Priority;
import dev.wagateway.message.StatusLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link QueueStore} keeps. A store module extends this class and supplies an
 * empty store from {@link #createStore()}.
 */
public abstract class QueueStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Duration WINDOW = Duration.ofHours(24);
  protected static final Duration LEASE = Duration.ofSeconds(60);
  private static final AtomicLong IDS = new AtomicLong();

  protected QueueStore store;
  protected final List<String> changes = new CopyOnWriteArrayList<>();

  protected abstract QueueStore createStore() throws Exception;

  @BeforeEach
  void setUpQueueStore() throws Exception {
    store = createStore();
    store.setChangeListener((m, attempts, ch) -> changes.add(m.id() + ":" + ch.status()));
  }

  protected static OutboundMessage msg(String session, String to, Priority p) {
    return msg(session, to, p, null, null);
  }

  protected static OutboundMessage msg(String session, String to, Priority p, String key, Instant notBefore) {
    MessageRequest r = MessageRequest.builder().session(session).to(to).text("x").priority(p)
        .idempotencyKey(key).notBefore(notBefore).build();
    return new OutboundMessage("msg_" + IDS.incrementAndGet(), r, T0);
  }

  protected OutboundMessage put(String session, String to) {
    OutboundMessage m = msg(session, to, Priority.NORMAL);
    assertThat(store.enqueue(m, T0, WINDOW)).isInstanceOf(EnqueueResult.Accepted.class);
    return m;
  }

  private List<String> claimIds(String session, Instant now, int max) {
    return store.claim(session, now, max, LEASE).stream().map(QueueStore.Claimed::id).toList();
  }

  private void sendOk(String id, Instant at) {
    store.markSending(id, at);
    store.markSent(id, "P-" + id, at);
  }

  @Test
  void enqueueStoresQueuedAndTellsTheListener() {
    OutboundMessage m = put("s", "+491701111111");
    assertThat(store.get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(changes).containsExactly(m.id() + ":QUEUED");
    assertThat(store.counts().get("s")).isEqualTo(new QueueCounts(1, 0, 0));
  }

  @Test
  void claimsByPriorityThenFifoAcrossRecipients() {
    OutboundMessage low = msg("s", "+491701111111", Priority.LOW);
    OutboundMessage n1 = msg("s", "+491702222222", Priority.NORMAL);
    OutboundMessage high = msg("s", "+491703333333", Priority.HIGH);
    OutboundMessage n2 = msg("s", "+491704444444", Priority.NORMAL);
    for (OutboundMessage m : List.of(low, n1, high, n2)) {
      store.enqueue(m, T0, WINDOW);
    }
    assertThat(claimIds("s", T0, 10)).containsExactly(high.id(), n1.id(), n2.id(), low.id());
  }

  @Test
  void onlyTheOldestUnfinishedMessageOfARecipientIsClaimable() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491701111111");
    OutboundMessage other = put("s", "+491702222222");
    assertThat(claimIds("s", T0, 10)).containsExactly(a.id(), other.id());
    assertThat(claimIds("s", T0, 10)).isEmpty();
    sendOk(a.id(), T0);
    assertThat(claimIds("s", T0, 10)).containsExactly(b.id());
  }

  @Test
  void aRetryIsNotOvertakenByALaterMessageToTheSameRecipient() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491701111111");
    assertThat(claimIds("s", T0, 10)).containsExactly(a.id());
    store.markSending(a.id(), T0);
    store.retry(a.id(), Failure.of(FailureType.TRANSIENT, "503", "x"), T0, T0.plusSeconds(10));
    assertThat(claimIds("s", T0.plusSeconds(5), 10)).as("b waits behind a's retry").isEmpty();
    assertThat(store.nextDue("s")).contains(T0.plusSeconds(10));
    assertThat(claimIds("s", T0.plusSeconds(10), 10)).containsExactly(a.id());
    sendOk(a.id(), T0.plusSeconds(10));
    assertThat(claimIds("s", T0.plusSeconds(10), 10)).containsExactly(b.id());
  }

  @Test
  void sessionsAreSeparate() {
    put("s1", "+491701111111");
    put("s2", "+491701111111");
    assertThat(store.claim("s1", T0, 10, LEASE)).hasSize(1);
    assertThat(store.claim("s2", T0, 10, LEASE)).hasSize(1);
    assertThat(store.claim("nobody", T0, 10, LEASE)).isEmpty();
  }

  @Test
  void scheduledMessagesWaitForNotBefore() {
    OutboundMessage later = msg("s", "+491701111111", Priority.NORMAL, null, T0.plusSeconds(60));
    store.enqueue(later, T0, WINDOW);
    assertThat(store.claim("s", T0.plusSeconds(59), 10, LEASE)).isEmpty();
    assertThat(store.nextDue("s")).contains(T0.plusSeconds(60));
    assertThat(claimIds("s", T0.plusSeconds(60), 10)).containsExactly(later.id());
  }

  @Test
  void releaseGivesAClaimBackForLaterWithoutAStatusChange() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    store.release(a.id(), T0.plusSeconds(6));
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(store.counts().get("s")).isEqualTo(new QueueCounts(1, 0, 0));
    assertThat(store.claim("s", T0.plusSeconds(5), 1, LEASE)).isEmpty();
    assertThat(claimIds("s", T0.plusSeconds(6), 1)).containsExactly(a.id());
    assertThat(changes).containsExactly(a.id() + ":QUEUED");
  }

  @Test
  void expiredLeasesReturnToTheQueue() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    assertThat(store.requeueExpiredLeases(T0.plusSeconds(59))).isZero();
    assertThat(store.requeueExpiredLeases(T0.plus(LEASE))).isEqualTo(1);
    assertThat(claimIds("s", T0.plus(LEASE), 1)).containsExactly(a.id());
  }

  @Test
  void atStartEveryLeaseIsFreedAndDueAtOnce() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    store.markSending(a.id(), T0);
    // a restart: a far cutoff frees leases that have not ended yet; they are due now, not then
    assertThat(store.requeueLeases(T0.plus(Duration.ofDays(3650)), T0.plusSeconds(1))).isEqualTo(1);
    assertThat(store.nextDue("s")).contains(T0.plusSeconds(1));
    assertThat(claimIds("s", T0.plusSeconds(1), 1)).containsExactly(a.id());
    store.markSending(a.id(), T0.plusSeconds(1));
    store.markSent(a.id(), "P-" + a.id(), T0.plusSeconds(1));
    assertThat(store.get(a.id()).orElseThrow().attempts()).isEqualTo(2);
  }

  @Test
  void aSuccessfulSendRecordsItsHistoryAndProviderId() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    sendOk(a.id(), T0.plusSeconds(1));
    var info = store.get(a.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.SENT);
    assertThat(info.attempts()).isEqualTo(1);
    assertThat(info.providerMessageId()).isEqualTo("P-" + a.id());
    assertThat(store.findByProvider("P-" + a.id())).map(i -> i.id()).contains(a.id());
    assertThat(info.history()).extracting(StatusLog.Change::status)
        .containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT);
    assertThat(changes).containsExactly(a.id() + ":QUEUED", a.id() + ":SENDING", a.id() + ":SENT");
    assertThat(store.counts().getOrDefault("s", QueueCounts.ZERO)).isEqualTo(QueueCounts.ZERO);
  }

  @Test
  void receiptsOnlyMoveForward() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    sendOk(a.id(), T0);
    assertThat(store.applyReceipt("P-" + a.id(), MessageStatus.READ, T0.plusSeconds(2))).isPresent();
    assertThat(store.applyReceipt("P-" + a.id(), MessageStatus.DELIVERED, T0.plusSeconds(3))).isEmpty();
    assertThat(store.applyReceipt("P-unknown", MessageStatus.READ, T0)).isEmpty();
    assertThat(store.get(a.id()).orElseThrow().status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void everyContentTypeAndRecipientKindComesBackFromTheStoreAsItWent() {
    List<dev.wagateway.message.MessageContent> contents = List.of(
        new dev.wagateway.message.MessageContent.Template("order_update", "en_US", List.of(
            new dev.wagateway.message.MessageContent.TemplateComponent("body", null, null, List.of(
                new dev.wagateway.message.MessageContent.TemplateParameter.Text("Ann", "name"),
                new dev.wagateway.message.MessageContent.TemplateParameter.Currency("€1", "EUR", 1000))),
            new dev.wagateway.message.MessageContent.TemplateComponent("button", "quick_reply", 0, List.of(
                new dev.wagateway.message.MessageContent.TemplateParameter.Payload("P"))))),
        new dev.wagateway.message.MessageContent.Buttons("b", null, "f", List.of(
            dev.wagateway.message.MessageContent.Choice.of("y", "Yes"))),
        new dev.wagateway.message.MessageContent.ListMessage("b", "Open", "h", null, List.of(
            new dev.wagateway.message.MessageContent.Section(null, List.of(
                new dev.wagateway.message.MessageContent.Choice("r", "Row", "desc"))))),
        new dev.wagateway.message.MessageContent.Image(
            dev.wagateway.message.MediaSource.uploaded("4490709327384033", "image/jpeg"), "c"),
        new dev.wagateway.message.MessageContent.Video(
            dev.wagateway.message.MediaSource.stored("ab".repeat(32), "video/mp4", 1234), null),
        new dev.wagateway.message.MessageContent.Document(
            dev.wagateway.message.MediaSource.bytes(new byte[] {1, 2, 3}, "application/pdf"), "a.pdf", null));
    List<OutboundMessage> put = new java.util.ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      String to = i == 0 ? "US.13491208655302741918" : "+4917011111" + (10 + i);
      MessageRequest r = MessageRequest.builder().session("s").to(to).content(contents.get(i)).build();
      OutboundMessage m = new OutboundMessage("msg_" + IDS.incrementAndGet(), r, T0);
      assertThat(store.enqueue(m, T0, WINDOW)).isInstanceOf(EnqueueResult.Accepted.class);
      put.add(m);
    }
    for (OutboundMessage m : put) {
      OutboundMessage back = store.get(m.id()).orElseThrow().message();
      assertThat(back.content()).as(m.content().type()).isEqualTo(m.content());
      assertThat(back.to()).isEqualTo(m.to());
    }
  }

  @Test
  void aFailureReportedAfterSentIsRecordedWithItsReasonButNotAfterDelivery() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491702222222");
    claimIds("s", T0, 2);
    sendOk(a.id(), T0);
    sendOk(b.id(), T0);
    Failure late = Failure.of(FailureType.RECIPIENT_INVALID, "131026", "undeliverable");
    var r = store.applyReceipt("P-" + a.id(), MessageStatus.FAILED, T0.plusSeconds(5), late);
    assertThat(r).isPresent();
    assertThat(r.get().change().failure()).isEqualTo(late);
    var info = store.get(a.id()).orElseThrow();
    assertThat(info.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(info.lastFailure()).isEqualTo(late);
    assertThat(info.history().get(info.history().size() - 1).failure()).isEqualTo(late);
    store.applyReceipt("P-" + b.id(), MessageStatus.DELIVERED, T0.plusSeconds(1));
    assertThat(store.applyReceipt("P-" + b.id(), MessageStatus.FAILED, T0.plusSeconds(5), late)).isEmpty();
    assertThat(store.get(b.id()).orElseThrow().lastFailure()).isNull();
  }

  @Test
  void retryRecordsFailedThenQueued() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    store.markSending(a.id(), T0);
    Failure f = Failure.of(FailureType.TRANSIENT, "503", "unavailable");
    assertThat(store.retry(a.id(), f, T0, T0.plusSeconds(4))).extracting(StatusLog.Change::status)
        .containsExactly(MessageStatus.FAILED, MessageStatus.QUEUED);
    var info = store.get(a.id()).orElseThrow();
    assertThat(info.lastFailure()).isEqualTo(f);
    assertThat(info.availableAt()).isEqualTo(T0.plusSeconds(4));
    List<QueueStore.Claimed> again = store.claim("s", T0.plusSeconds(4), 1, LEASE);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempts()).isEqualTo(1);
  }

  @Test
  void deadLettersAreListedFilteredReplayedAndPurged() {
    OutboundMessage a = put("s1", "+491701111111");
    OutboundMessage b = put("s2", "+491702222222");
    OutboundMessage c = put("s1", "+491703333333");
    for (String s : List.of("s1", "s2")) {
      for (QueueStore.Claimed cl : store.claim(s, T0, 10, LEASE)) {
        store.markSending(cl.id(), T0);
      }
    }
    store.deadLetter(a.id(), Failure.of(FailureType.PERMANENT, "400", "bad"), T0.plusSeconds(1));
    store.deadLetter(b.id(), Failure.of(FailureType.RECIPIENT_INVALID, "x", "y"), T0.plusSeconds(2));
    store.deadLetter(c.id(), Failure.of(FailureType.PERMANENT, "400", "bad"), T0.plusSeconds(3));
    assertThat(store.get(a.id()).orElseThrow().history()).extracting(StatusLog.Change::status)
        .containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.FAILED,
            MessageStatus.DEAD_LETTERED);
    assertThat(store.deadLetters(DeadLetterFilter.all())).extracting(i -> i.id())
        .containsExactly(a.id(), b.id(), c.id());
    assertThat(store.deadLetters(DeadLetterFilter.all().session("s1"))).hasSize(2);
    assertThat(store.deadLetters(DeadLetterFilter.all().type(FailureType.RECIPIENT_INVALID)))
        .extracting(i -> i.id()).containsExactly(b.id());
    assertThat(store.deadLetters(DeadLetterFilter.all().between(T0.plusSeconds(2), T0.plusSeconds(3))))
        .extracting(i -> i.id()).containsExactly(b.id());
    assertThat(store.deadLetters(DeadLetterFilter.all().limit(1))).hasSize(1);
    assertThat(store.counts().get("s1").deadLettered()).isEqualTo(2);

    assertThat(store.replay(a.id(), T0.plusSeconds(10))).isPresent();
    assertThat(store.replay(a.id(), T0.plusSeconds(10))).as("only once").isEmpty();
    var replayed = store.get(a.id()).orElseThrow();
    assertThat(replayed.status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(replayed.attempts()).isZero();
    assertThat(claimIds("s1", T0.plusSeconds(10), 10)).containsExactly(a.id());

    assertThat(store.purge(DeadLetterFilter.all().session("s2"))).isEqualTo(1);
    assertThat(store.get(b.id())).isEmpty();
    assertThat(store.deadLetters(DeadLetterFilter.all())).extracting(i -> i.id()).containsExactly(c.id());
  }

  @Test
  void deadLetteringTheHeadFreesTheNextMessageOfTheRecipient() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491701111111");
    claimIds("s", T0, 10);
    store.markSending(a.id(), T0);
    store.deadLetter(a.id(), Failure.of(FailureType.PERMANENT, "400", "x"), T0);
    assertThat(claimIds("s", T0, 10)).containsExactly(b.id());
  }

  @Test
  void cancelWorksOnlyForWaitingMessages() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491701111111");
    OutboundMessage c = put("s", "+491702222222");
    claimIds("s", T0, 1); // a (priority/FIFO first) is claimed
    assertThat(store.cancel(a.id(), T0)).as("claimed: too late").isEmpty();
    assertThat(store.cancel(b.id(), T0)).map(StatusLog.Change::status).contains(MessageStatus.FAILED);
    assertThat(store.get(b.id()).orElseThrow().lastFailure().type()).isEqualTo(FailureType.CANCELLED);
    assertThat(store.cancel(b.id(), T0)).isEmpty();
    assertThat(store.cancel(c.id(), T0)).isPresent();
    sendOk(a.id(), T0);
    assertThat(store.claim("s", T0, 10, LEASE)).as("cancelled messages never leave").isEmpty();
    assertThat(store.counts().getOrDefault("s", QueueCounts.ZERO)).isEqualTo(QueueCounts.ZERO);
  }

  @Test
  void unfinishedIdsListWaitingAndClaimedOldestFirst() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491702222222");
    OutboundMessage c = put("s", "+491701111111");
    put("other", "+491701111111");
    claimIds("s", T0, 1);
    assertThat(store.unfinishedIds("s")).containsExactly(a.id(), b.id(), c.id());
    sendOk(a.id(), T0);
    assertThat(store.unfinishedIds("s")).containsExactly(b.id(), c.id());
    assertThat(store.unfinishedIds("nobody")).isEmpty();
  }

  @Test
  void idempotencyKeyReturnsTheOriginalWithinTheWindow() {
    OutboundMessage first = msg("s", "+491701111111", Priority.NORMAL, "order-42", null);
    OutboundMessage again = msg("s", "+491701111111", Priority.NORMAL, "order-42", null);
    OutboundMessage otherSession = msg("s2", "+491701111111", Priority.NORMAL, "order-42", null);
    assertThat(store.enqueue(first, T0, WINDOW)).isInstanceOf(EnqueueResult.Accepted.class);
    assertThat(store.enqueue(again, T0.plusSeconds(5), WINDOW))
        .isEqualTo(new EnqueueResult.Duplicate(first.id()));
    assertThat(store.enqueue(otherSession, T0, WINDOW)).isInstanceOf(EnqueueResult.Accepted.class);
    assertThat(store.get(again.id())).isEmpty();
    OutboundMessage afterWindow = msg("s", "+491701111111", Priority.NORMAL, "order-42", null);
    assertThat(store.enqueue(afterWindow, T0.plus(WINDOW).plusSeconds(1), WINDOW))
        .isInstanceOf(EnqueueResult.Accepted.class);
  }

  @Test
  void concurrentEnqueuesWithOneKeyStoreExactlyOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<EnqueueResult>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> {
          go.await();
          return store.enqueue(msg("s", "+491701111111", Priority.NORMAL, "same-key", null), T0, WINDOW);
        }));
      }
      go.countDown();
      Set<String> ids = new HashSet<>();
      int accepted = 0;
      for (Future<EnqueueResult> f : fs) {
        EnqueueResult r = f.get(10, TimeUnit.SECONDS);
        if (r instanceof EnqueueResult.Accepted a) {
          accepted++;
          ids.add(a.message().id());
        } else {
          ids.add(((EnqueueResult.Duplicate) r).originalId());
        }
      }
      assertThat(accepted).isEqualTo(1);
      assertThat(ids).hasSize(1);
      assertThat(store.claim("s", T0, 10, LEASE)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
    Map<String, Integer> claimedCount = new ConcurrentHashMap<>();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < perProducer; i++) {
            store.enqueue(msg("s" + (i % 3), "+4917000" + producer + String.format("%04d", i % 50),
                Priority.NORMAL), T0, WINDOW);
          }
          return null;
        }));
      }
      AtomicLong done = new AtomicLong();
      for (int c = 0; c < 2; c++) {
        fs.add(pool.submit(() -> {
          long idle = 0;
          while (done.get() < producers * perProducer && idle < 2_000_000) {
            boolean any = false;
            for (int s = 0; s < 3; s++) {
              for (QueueStore.Claimed cl : store.claim("s" + s, T0, 16, LEASE)) {
                any = true;
                claimedCount.merge(cl.id(), 1, Integer::sum);
                store.markSending(cl.id(), T0);
                store.markSent(cl.id(), "P-" + cl.id(), T0);
                done.incrementAndGet();
              }
            }
            idle = any ? 0 : idle + 1;
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(claimedCount).hasSize(producers * perProducer);
    assertThat(claimedCount.values()).containsOnly(1);
    assertThat(store.counts().values().stream().mapToLong(QueueCounts::waiting).sum()).isZero();
  }

  @Test
  void pruneForgetsOnlyFinishedMessages() {
    OutboundMessage sent = put("s", "+491701111111");
    OutboundMessage waiting = put("s", "+491702222222");
    claimIds("s", T0, 1);
    sendOk(sent.id(), T0);
    assertThat(store.pruneFinished(T0.plusSeconds(1))).isEqualTo(1);
    assertThat(store.get(sent.id())).isEmpty();
    assertThat(store.get(waiting.id())).isPresent();
  }

  @Test
  void listenerSeesEveryChangeOfAMessageInOrder() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    store.markSending(a.id(), T0);
    store.retry(a.id(), Failure.of(FailureType.TRANSIENT, "t", "t"), T0, T0);
    claimIds("s", T0, 1);
    sendOk(a.id(), T0);
    store.applyReceipt("P-" + a.id(), MessageStatus.DELIVERED, T0);
    assertThat(changes).containsExactly(a.id() + ":QUEUED", a.id() + ":SENDING", a.id() + ":FAILED",
        a.id() + ":QUEUED", a.id() + ":SENDING", a.id() + ":SENT", a.id() + ":DELIVERED");
    assertThat(store.get(a.id()).orElseThrow().to()).isEqualTo(Jid.ofPhone("+491701111111"));
  }

  @Test
  void enqueueAllStoresEachAsEnqueueWouldInListOrder() {
    OutboundMessage keyed = msg("s", "+491701111111", Priority.NORMAL, "order-1", null);
    assertThat(store.enqueue(keyed, T0, WINDOW)).isInstanceOf(EnqueueResult.Accepted.class);
    changes.clear();
    OutboundMessage first = msg("s", "+491702222222", Priority.NORMAL);
    OutboundMessage again = msg("s", "+491701111111", Priority.NORMAL, "order-1", null); // held by keyed
    OutboundMessage later = msg("s", "+491702222222", Priority.NORMAL, null, T0.plusSeconds(30));
    OutboundMessage newKey = msg("s", "+491703333333", Priority.HIGH, "order-2", null);
    OutboundMessage sameNewKey = msg("s", "+491703333333", Priority.NORMAL, "order-2", null);
    OutboundMessage other = msg("s2", "+491702222222", Priority.NORMAL);
    List<EnqueueResult> results = store.enqueueAll(List.of(first, again, later, newKey, sameNewKey, other), T0,
        WINDOW);
    assertThat(results).hasSize(6);
    assertThat(results.get(0)).isInstanceOf(EnqueueResult.Accepted.class);
    assertThat(results.get(1)).isEqualTo(new EnqueueResult.Duplicate(keyed.id()));
    assertThat(((EnqueueResult.Accepted) results.get(2)).message().availableAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(results.get(3)).isInstanceOf(EnqueueResult.Accepted.class);
    assertThat(results.get(4)).isEqualTo(new EnqueueResult.Duplicate(newKey.id()));
    assertThat(results.get(5)).isInstanceOf(EnqueueResult.Accepted.class);
    assertThat(changes).containsExactly(first.id() + ":QUEUED", later.id() + ":QUEUED", newKey.id() + ":QUEUED",
        other.id() + ":QUEUED");
    assertThat(store.get(again.id())).isEmpty();
    assertThat(store.get(sameNewKey.id())).isEmpty();
    // priority first, then list order; the later message to the first recipient waits behind it
    assertThat(claimIds("s", T0.plusSeconds(60), 10)).containsExactly(newKey.id(), keyed.id(), first.id());
    assertThat(claimIds("s2", T0, 10)).containsExactly(other.id());
    assertThat(store.enqueueAll(List.of(), T0, WINDOW)).isEmpty();
  }

  @Test
  void markSendingAllAndMarkSentAllRecordWhatTheSingleCallsRecord() {
    OutboundMessage a = put("s", "+491701111111");
    OutboundMessage b = put("s", "+491702222222");
    OutboundMessage c = put("s", "+491703333333");
    assertThat(claimIds("s", T0, 10)).containsExactly(a.id(), b.id(), c.id());
    store.markSending(c.id(), T0);
    store.markSent(c.id(), "P-" + c.id(), T0); // already finished: neither batch changes it
    changes.clear();
    Instant at = T0.plusSeconds(1);
    List<Optional<StatusLog.Change>> sending = store.markSendingAll(List.of(a.id(), c.id(), b.id()), at);
    assertThat(sending).hasSize(3);
    assertThat(sending.get(0)).map(StatusLog.Change::status).contains(MessageStatus.SENDING);
    assertThat(sending.get(0)).map(StatusLog.Change::at).contains(at);
    assertThat(sending.get(1)).isEmpty();
    assertThat(sending.get(2)).map(StatusLog.Change::status).contains(MessageStatus.SENDING);
    Instant acked = T0.plusSeconds(2);
    List<Optional<StatusLog.Change>> sent = store.markSentAll(List.of(new QueueStore.Ack(b.id(), "P-" + b.id(), acked),
        new QueueStore.Ack(c.id(), "P-again", acked), new QueueStore.Ack(a.id(), "P-" + a.id(), acked)));
    assertThat(sent).hasSize(3);
    assertThat(sent.get(0)).map(StatusLog.Change::status).contains(MessageStatus.SENT);
    assertThat(sent.get(1)).isEmpty();
    assertThat(sent.get(2)).map(StatusLog.Change::at).contains(acked);
    assertThat(changes).containsExactly(a.id() + ":SENDING", b.id() + ":SENDING", b.id() + ":SENT",
        a.id() + ":SENT");
    for (OutboundMessage m : List.of(a, b)) {
      var info = store.get(m.id()).orElseThrow();
      assertThat(info.status()).isEqualTo(MessageStatus.SENT);
      assertThat(info.attempts()).isEqualTo(1);
      assertThat(info.history()).extracting(StatusLog.Change::status)
          .containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT);
      assertThat(info.history().get(1).cause()).isEqualTo("attempt 1");
      assertThat(store.findByProvider("P-" + m.id())).map(i -> i.id()).contains(m.id());
    }
    assertThat(store.get(c.id()).orElseThrow().history()).hasSize(3);
    assertThat(store.counts().getOrDefault("s", QueueCounts.ZERO)).isEqualTo(QueueCounts.ZERO);
    assertThat(store.markSendingAll(List.of(), at)).isEmpty();
    assertThat(store.markSentAll(List.of())).isEmpty();
  }

  @Test
  void claimFirstSendingMarksTheFirstAsMarkSendingWouldUnlessItIsHeldOrExpired() {
    OutboundMessage normal = put("s", "+491702222222");
    OutboundMessage high = msg("s", "+491701111111", Priority.HIGH);
    store.enqueue(high, T0, WINDOW);
    changes.clear();
    Instant at = T0.plusSeconds(1);
    List<QueueStore.Claimed> got = store.claimFirstSending("s", at, 10, LEASE, Set.of());
    assertThat(got).extracting(QueueStore.Claimed::id).containsExactly(high.id(), normal.id());
    assertThat(got).extracting(QueueStore.Claimed::sending).containsExactly(true, false);
    assertThat(got).extracting(QueueStore.Claimed::attempts).containsExactly(0, 0);
    assertThat(changes).containsExactly(high.id() + ":SENDING");
    var marked = store.get(high.id()).orElseThrow();
    assertThat(marked.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(marked.attempts()).isEqualTo(1);
    assertThat(marked.history().get(1)).isEqualTo(new StatusLog.Change(MessageStatus.SENDING, at, null, "attempt 1"));
    assertThat(store.get(normal.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    assertThat(store.counts().get("s")).isEqualTo(new QueueCounts(0, 2, 0));
    // the rest goes on as after a plain claim
    store.markSendingAll(List.of(normal.id()), at);
    store.markSentAll(List.of(new QueueStore.Ack(high.id(), "P-" + high.id(), at),
        new QueueStore.Ack(normal.id(), "P-" + normal.id(), at)));
    for (OutboundMessage m : List.of(high, normal)) {
      var info = store.get(m.id()).orElseThrow();
      assertThat(info.status()).as(m.id()).isEqualTo(MessageStatus.SENT);
      assertThat(info.attempts()).as(m.id()).isEqualTo(1);
      assertThat(info.history()).extracting(StatusLog.Change::status)
          .containsExactly(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT);
    }
    assertThat(store.claimFirstSending("s", at, 10, LEASE, Set.of())).isEmpty();
    assertThat(store.claimFirstSending("nobody", at, 10, LEASE, Set.of())).isEmpty();
  }

  @Test
  void claimFirstSendingLeavesAHeldRecipientOrAnExpiredMessageUnmarked() {
    OutboundMessage toHeld = put("s", "+491701111111");
    OutboundMessage other = put("s", "+491702222222");
    changes.clear();
    List<QueueStore.Claimed> got = store.claimFirstSending("s", T0, 10, LEASE,
        Set.of(Jid.ofPhone("+491701111111").asString(), Jid.ofPhone("+14155550000").asString()));
    assertThat(got).extracting(QueueStore.Claimed::id).containsExactly(toHeld.id(), other.id());
    assertThat(got).noneMatch(QueueStore.Claimed::sending);
    assertThat(changes).isEmpty();
    assertThat(store.get(toHeld.id()).orElseThrow().attempts()).isZero();
    store.release(toHeld.id(), T0);
    store.release(other.id(), T0);

    Instant expiry = T0.plusSeconds(30);
    OutboundMessage expiring = new OutboundMessage("msg_" + IDS.incrementAndGet(), MessageRequest.builder().session("e")
        .to("+491703333333").text("x").expiresAt(expiry).build(), T0);
    store.enqueue(expiring, T0, WINDOW);
    got = store.claimFirstSending("e", expiry, 10, LEASE, Set.of());
    assertThat(got).extracting(QueueStore.Claimed::id).containsExactly(expiring.id());
    assertThat(got.get(0).sending()).as("past its expiry: left for the caller to dead-letter").isFalse();
    assertThat(store.get(expiring.id()).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    store.release(expiring.id(), T0);
    got = store.claimFirstSending("e", expiry.minusMillis(1), 10, LEASE, Set.of());
    assertThat(got.get(0).sending()).as("before its expiry").isTrue();
  }

  @Test
  void claimFirstSendingOfAMessageWhoseLeaseEndedWhileSendingCountsTheAttemptOnly() {
    OutboundMessage a = put("s", "+491701111111");
    claimIds("s", T0, 1);
    store.markSending(a.id(), T0);
    assertThat(store.requeueExpiredLeases(T0.plus(LEASE))).isEqualTo(1);
    changes.clear();
    List<QueueStore.Claimed> got = store.claimFirstSending("s", T0.plus(LEASE), 10, LEASE, Set.of());
    assertThat(got).hasSize(1);
    assertThat(got.get(0).sending()).isTrue();
    assertThat(got.get(0).attempts()).as("attempts before this one").isEqualTo(1);
    var info = store.get(a.id()).orElseThrow();
    assertThat(info.attempts()).isEqualTo(2);
    assertThat(info.status()).isEqualTo(MessageStatus.SENDING);
    assertThat(info.history()).as("no second SENDING line").hasSize(2);
    assertThat(changes).isEmpty();
  }

  @Test
  void concurrentBatchesToOverlappingRecipientsKeepEachRecipientsOrder() throws Exception {
    int threads = 6;
    int batches = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, List<String>> sentTo = new ConcurrentHashMap<>();
    Map<String, List<String>> enqueuedTo = new ConcurrentHashMap<>();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int self = t;
        fs.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) {
            List<OutboundMessage> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              // the same five recipients, in a different order per thread (a lock-order deadlock would show here)
              int r = (self % 2 == 0) ? i % 5 : 4 - i % 5;
              batch.add(msg("s", "+49170000000" + r, Priority.NORMAL));
            }
            store.enqueueAll(batch, T0, WINDOW);
            for (OutboundMessage m : batch) { // this thread's order per recipient is the order to keep
              enqueuedTo.computeIfAbsent(self + "/" + m.to().asString(), k -> new ArrayList<>()).add(m.id());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      int total = threads * batches * 10;
      int done = 0;
      while (done < total) {
        List<QueueStore.Claimed> claimed = store.claim("s", T0, 32, LEASE);
        assertThat(claimed).as("claimable while %d of %d are done", done, total).isNotEmpty();
        store.markSendingAll(claimed.stream().map(QueueStore.Claimed::id).toList(), T0);
        store.markSentAll(claimed.stream().map(cl -> new QueueStore.Ack(cl.id(), "P-" + cl.id(), T0)).toList());
        for (QueueStore.Claimed cl : claimed) {
          sentTo.computeIfAbsent(cl.message().to().asString(), k -> new ArrayList<>()).add(cl.id());
        }
        done += claimed.size();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sentTo.values().stream().mapToInt(List::size).sum()).isEqualTo(threads * batches * 10);
    enqueuedTo.forEach((threadAndRecipient, ids) -> {
      List<String> sentInOrder = sentTo.get(threadAndRecipient.substring(threadAndRecipient.indexOf('/') + 1));
      assertThat(sentInOrder.stream().filter(Set.copyOf(ids)::contains).toList()).as(threadAndRecipient)
          .isEqualTo(ids);
    });
  }
}
