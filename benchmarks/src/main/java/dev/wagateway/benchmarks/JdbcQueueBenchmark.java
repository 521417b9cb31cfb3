package dev.wagateway.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.jdbc.JdbcStores;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.QueueStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained enqueue → claim → complete through a {@link JdbcStores} queue store, the calls the
 * gateway's dispatcher makes: {@code enqueue} per message (concurrent ones share a transaction:
 * group commit); {@code claimFirstSending} in batches of 32 (the claim also marks the first message
 * SENDING) when something was enqueued for the session since its last claim, else a plain
 * {@code claim} and {@code markSending} of the first message, then, as the dispatcher does, {@code markSendingAll} for the rest and {@code markSentAll}
 * for the acks (those of several dispatchers' batches together, as the dispatcher records them; see
 * {@link #EACH_ACKS}). Producers enqueue at full speed, never
 * more than {@code backlog} messages ahead of the dispatchers; each dispatcher thread drains its
 * own share of the sessions. An idle dispatcher looks again after 200 µs (polling, the default), or
 * with {@code -Dwa.bench.wake=signal} waits until a producer signals that a session of its share
 * has work, as the gateway's dispatcher is woken on enqueue. Polling lets a few messages gather for
 * each claim; a signalled dispatcher claims at once, in smaller batches. Latency is from the
 * enqueue call to the commit of SENT.
 *
 * <p>Recipients: message {@code i} goes to recipient {@code i % RECIPIENTS} (default 100,000, so in a
 * run of up to 100,000 messages each goes to a new recipient, as in a bulk send). With fewer, a
 * recipient's next message waits until its previous one is SENT (the queue keeps each recipient's
 * order): once the messages in flight span more than RECIPIENTS, claims find fewer heads.
 *
 * <p>Usage: {@code JdbcQueueBenchmark postgresql|sqlite MESSAGES DISPATCHERS [PRODUCERS] [SESSIONS]
 * [RECIPIENTS]}
 */
public final class JdbcQueueBenchmark {
  /** Recipients, formatted once (the harness's own work stays out of the figure). */
  static String[] recipients = new String[0];
  /** {@code -Dwa.bench.wake=signal}: idle dispatchers wait for a producer's signal, as the gateway's do. */
  static final boolean SIGNALLED = "signal".equals(System.getProperty("wa.bench.wake"));
  static final String PG = System.getProperty("wa.bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  /**
   * {@code -Dwa.bench.claim=plain}: claim, then mark the first message in a call of its own (the
   * dispatcher's calls before claimFirstSending, and still when pacing holds recipients it cannot
   * name); by default the claim marks it, as the dispatcher's does with pacing off.
   */
  static final boolean PLAIN_CLAIM = "plain".equals(System.getProperty("wa.bench.claim"));
  /**
   * {@code -Dwa.bench.acks=each}: each dispatcher thread records its batch's acks itself, one
   * {@code markSentAll} per batch. By default the acks go to one queue and a thread that finds
   * fewer than {@link #ACK_WRITERS} recording them records what is there, up to {@link #MAX_ACK_BATCH}
   * a call, as the gateway's dispatcher does (its {@code flushAcks}).
   */
  static final boolean EACH_ACKS = "each".equals(System.getProperty("wa.bench.acks"));
  static final int MAX_ACK_BATCH = 256;
  /**
   * {@code -Dwa.bench.ackWriters=N}: how many threads record acks at once; by default what the
   * store says it takes ({@link QueueStore#concurrentWrites}: 4 on PostgreSQL, 1 on SQLite), as the
   * dispatcher does.
   */
  static final @org.jspecify.annotations.Nullable Integer ACK_WRITERS = Integer.getInteger("wa.bench.ackWriters");

  public static void main(String[] args) throws Exception {
    // a harness thread that dies must end the run with its error, not leave the others waiting for it
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      System.err.println("harness thread " + t.getName() + " failed:");
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    });
    String dialect = args[0];
    int messages = Integer.parseInt(args[1]);
    int dispatchers = Integer.parseInt(args[2]);
    int producers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int sessions = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    int recipientCount = args.length > 5 ? Integer.parseInt(args[5]) : 100_000;
    recipients = java.util.stream.IntStream.range(0, recipientCount)
        .mapToObj(i -> "+4917" + String.format("%08d", i)).toArray(String[]::new);
    int backlog = dispatchers == 0 ? messages : 2_000; // no dispatcher: the enqueue side alone
    HikariConfig cfg = new HikariConfig();
    cfg.setMaximumPoolSize(producers + dispatchers + 2);
    if (dialect.equals("postgresql")) {
      try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS wa_bench CASCADE");
        s.execute("CREATE SCHEMA wa_bench");
      }
      cfg.setJdbcUrl(PG + "?currentSchema=wa_bench");
      cfg.setUsername("postgres");
      if (Boolean.getBoolean("wa.bench.asyncCommit")) {
        cfg.setConnectionInitSql("SET synchronous_commit = off");
      }
      if (System.getProperty("wa.bench.initSql") != null) { // diagnosis, e.g. LOAD 'auto_explain'; SET ...
        cfg.setConnectionInitSql(System.getProperty("wa.bench.initSql"));
      }
    } else {
      Path db = Files.createTempDirectory("wa-bench").resolve("wa.db");
      cfg.setJdbcUrl("jdbc:sqlite:" + db);
      cfg.addDataSourceProperty("journal_mode", "WAL");
      cfg.addDataSourceProperty("synchronous", "NORMAL");
      cfg.addDataSourceProperty("busy_timeout", "5000");
    }
    try (HikariDataSource ds = new HikariDataSource(cfg); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      QueueStore store = stores.queueStore();
      // warm-up long enough for the JIT: a short one left the compiler threads using half the JVM's CPU,
      // and on a slow machine one round of 20,000 was not enough (C2 took 27 % of the machine in the
      // measured run's first seconds), so rounds go on until one is within 10 % of the one before
      double last = 0;
      for (int w = 1; w <= 6; w++) {
        double rate = run(store, 20_000, dispatchers, producers, sessions, backlog, false)[0];
        System.out.printf(Locale.ROOT, "warm-up round %d: %.0f msg/s%n", w, rate);
        if (w >= 2 && Math.abs(rate - last) <= 0.1 * last) {
          break;
        }
        last = rate;
      }
      double[] r = run(store, messages, dispatchers, producers, sessions, backlog, true);
      System.out.printf(Locale.ROOT, "RESULT jdbc-queue %s dispatchers=%d producers=%d: %.0f msg/s,"
          + " latency p50 %.1f ms p95 %.1f ms p99 %.1f ms (%d messages, %d sessions, %d recipients)%n", dialect,
          dispatchers, producers, r[0], r[1], r[2], r[3], messages, sessions, recipientCount);
      if (Boolean.getBoolean("wa.bench.plans") && dialect.equals("postgresql")) {
        printPlans(ds);
      }
    }
  }

  /**
   * {@code -Dwa.bench.plans=true}: how often PostgreSQL planned each prepared statement anew (custom
   * plans) or reused its generic plan, summed over the pool's connections (the server keeps these
   * per connection, in pg_prepared_statements).
   */
  static void printPlans(HikariDataSource ds) throws java.sql.SQLException {
    Map<String, long[]> plans = new java.util.TreeMap<>();
    List<Connection> held = new ArrayList<>();
    try {
      // the idle ones (the others are the stores' own: the instance lock, LISTEN); a held connection is not handed out again
      for (int i = ds.getHikariPoolMXBean().getIdleConnections(); i > 0; i--) {
        held.add(ds.getConnection());
      }
      for (Connection c : held) {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT generic_plans,"
            + " custom_plans, left(regexp_replace(statement, '\\s+', ' ', 'g'), 90) FROM pg_prepared_statements")) {
          while (rs.next()) {
            long[] n = plans.computeIfAbsent(rs.getString(3), k -> new long[2]);
            n[0] += rs.getLong(1);
            n[1] += rs.getLong(2);
          }
        }
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    plans.entrySet().stream().filter(e -> e.getValue()[0] + e.getValue()[1] > 100)
        .forEach(e -> System.out.printf(Locale.ROOT, "plans: %d generic, %d custom: %s%n", e.getValue()[0],
            e.getValue()[1], e.getKey()));
  }

  static double[] run(QueueStore store, int messages, int dispatchers, int producers, int sessions, int backlog,
      boolean measure) throws Exception {
    ConcurrentHashMap<String, Long> startedAt = new ConcurrentHashMap<>();
    long[] latencies = new long[messages];
    AtomicInteger done = new AtomicInteger();
    AtomicInteger produced = new AtomicInteger();
    AtomicLong seq = new AtomicLong();
    java.util.concurrent.Semaphore ahead = new java.util.concurrent.Semaphore(backlog);
    // wall time per call: enqueue, claim (non-empty), markSendingAll, markSentAll, claim (empty), markSending
    Timing[] calls = {new Timing(), new Timing(), new Timing(), new Timing(), new Timing(), new Timing()};
    java.util.concurrent.atomic.LongAdder batchSizes = new java.util.concurrent.atomic.LongAdder();
    Duration window = Duration.ofHours(1);
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    long[][] perDispatcher = new long[dispatchers][3]; // claims that found messages, messages, ns in calls
    // a session with work not yet claimed: set by a producer after its enqueue, cleared by the dispatcher before a claim
    java.util.concurrent.atomic.AtomicBoolean[] pending = new java.util.concurrent.atomic.AtomicBoolean[sessions];
    Arrays.setAll(pending, x -> new java.util.concurrent.atomic.AtomicBoolean());
    Thread[] dispatcherThreads = new Thread[dispatchers];
    java.util.concurrent.ConcurrentLinkedQueue<QueueStore.Ack> acks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    AtomicInteger ackWriting = new AtomicInteger();
    int ackWriters = ACK_WRITERS != null ? ACK_WRITERS : Math.max(1, store.concurrentWrites());
    if (ackWriters < 1) { // none would ever record an ack, and the run would wait for ever
      throw new IllegalArgumentException("wa.bench.ackWriters must be at least 1, was " + ackWriters);
    }
    java.util.concurrent.atomic.LongAdder recordedAcks = new java.util.concurrent.atomic.LongAdder();
    // markSentAll of some acks, then what their commit finishes: the messages' latency, room for producers
    java.util.function.Consumer<List<QueueStore.Ack>> record = batch -> {
      long m1 = System.nanoTime();
      store.markSentAll(batch);
      calls[3].add(System.nanoTime() - m1);
      recordedAcks.add(batch.size());
      long now = System.nanoTime();
      int n0 = done.getAndAdd(batch.size());
      for (int k = 0; k < batch.size(); k++) {
        Long began = startedAt.remove(batch.get(k).id());
        if (began != null && n0 + k < latencies.length) {
          latencies[n0 + k] = now - began;
        }
      }
      ahead.release(batch.size()); // once per call: the dispatcher's thread is the one to spare
    };
    for (int d = 0; d < dispatchers; d++) {
      int self = d;
      dispatcherThreads[d] = started(() -> {
        while (done.get() < messages) {
          boolean any = false;
          for (int s = self; s < sessions; s += dispatchers) {
            boolean expected = pending[s].getAndSet(false);
            if (SIGNALLED && !expected) {
              continue; // nothing enqueued since the last claim found the session empty
            }
            long c0 = System.nanoTime();
            // as the dispatcher does: a claim that expects work (something was enqueued since) marks the first
            List<QueueStore.Claimed> claimed = PLAIN_CLAIM || !expected ? store.claim("s" + s, Instant.now(), 32, Duration.ofMinutes(1))
                : store.claimFirstSending("s" + s, Instant.now(), 32, Duration.ofMinutes(1), List.of());
            calls[claimed.isEmpty() ? 4 : 1].add(System.nanoTime() - c0);
            if (claimed.isEmpty()) {
              continue;
            }
            any = true;
            if (claimed.size() == 32) {
              pending[s].set(true); // a full batch: more may be waiting
            }
            // as the dispatcher does: the first message marked alone (by the claim itself, unless plain), then
            // the rest of the batch in one call
            long m1 = System.nanoTime();
            if (!claimed.get(0).sending()) {
              store.markSending(claimed.get(0).id(), Instant.now());
              calls[5].add(System.nanoTime() - m1);
              m1 = System.nanoTime();
            }
            if (claimed.size() > 1) {
              store.markSendingAll(claimed.subList(1, claimed.size()).stream().map(QueueStore.Claimed::id).toList(),
                  Instant.now());
              calls[2].add(System.nanoTime() - m1);
            }
            Instant acked = Instant.now();
            batchSizes.add(claimed.size());
            perDispatcher[self][0]++;
            perDispatcher[self][1] += claimed.size();
            if (EACH_ACKS) { // the batch's acks recorded by its own thread, in a transaction of their own
              record.accept(claimed.stream().map(c -> new QueueStore.Ack(c.id(), "P." + c.id(), acked)).toList());
            } else {
              // as the dispatcher does: a drain's acks go to one queue, recorded by up to ackWriters threads
              // at once, each taking what has gathered (one store call for the acks of several sessions)
              for (QueueStore.Claimed c : claimed) {
                acks.add(new QueueStore.Ack(c.id(), "P." + c.id(), acked));
              }
              while (!acks.isEmpty()) {
                int writing = ackWriting.get();
                if (writing >= ackWriters) {
                  break; // those writing look again when they are done
                }
                if (!ackWriting.compareAndSet(writing, writing + 1)) {
                  continue;
                }
                try {
                  List<QueueStore.Ack> batch = new ArrayList<>();
                  for (QueueStore.Ack a; batch.size() < MAX_ACK_BATCH && (a = acks.poll()) != null; ) {
                    batch.add(a);
                  }
                  if (!batch.isEmpty()) {
                    record.accept(batch);
                  }
                } finally {
                  ackWriting.decrementAndGet();
                }
              }
            }
            perDispatcher[self][2] += System.nanoTime() - c0;
          }
          if (!any) {
            // signalled: idle until a producer's signal (the timeout only ends the run's last wait);
            // polling: look again in 200 µs, which lets a few messages gather for the next claim
            java.util.concurrent.locks.LockSupport.parkNanos(SIGNALLED ? 5_000_000 : 200_000);
          }
        }
      });
      threads.add(dispatcherThreads[d]);
    }
    for (int p = 0; p < producers; p++) {
      threads.add(started(() -> {
        int i;
        while ((i = produced.getAndIncrement()) < messages) {
          ahead.acquireUninterruptibly(); // no spinning: 2 cores are shared with the database
          String session = "s" + (i % sessions);
          String to = recipients[i % recipients.length];
          OutboundMessage m = new OutboundMessage("msg_b" + seq.incrementAndGet() + "_" + t0,
              MessageRequest.builder().session(session).to(to).text("benchmark message " + i).build(), Instant.now());
          startedAt.put(m.id(), System.nanoTime());
          long e0 = System.nanoTime();
          store.enqueue(m, Instant.now(), window);
          calls[0].add(System.nanoTime() - e0);
          // the gateway wakes a session's lane on enqueue: so does the harness, once per idle spell
          if (!pending[i % sessions].getAndSet(true) && SIGNALLED && dispatchers > 0) {
            java.util.concurrent.locks.LockSupport.unpark(dispatcherThreads[i % sessions % dispatchers]);
          }
        }
      }));
    }

    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (measure) {
      System.out.printf(Locale.ROOT, "calls: enqueue %s; claim %s (%.1f messages each); markSending %s;"
          + " markSendingAll %s; markSentAll %s (%.1f acks each); empty claim %s%n", calls[0], calls[1], batchSizes.sum()
          / (double) Math.max(1, calls[1].count.sum()), calls[5], calls[2], calls[3], recordedAcks.sum()
          / (double) Math.max(1, calls[3].count.sum()), calls[4]);
      StringBuilder each = new StringBuilder("per dispatcher (claims, messages, seconds in calls):");
      for (long[] d : perDispatcher) {
        each.append(String.format(Locale.ROOT, " [%d, %d, %.1f s]", d[0], d[1], d[2] / 1e9));
      }
      System.out.println(each);
    }
    store.pruneFinished(Instant.now().plusSeconds(1));
    long[] sorted = Arrays.copyOf(latencies, Math.min(done.get(), latencies.length));
    Arrays.sort(sorted);
    return new double[] {messages / seconds, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99)};
  }

  /** Count and mean wall time of one kind of store call. */
  static final class Timing {
    final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();

    void add(long n) {
      count.increment();
      nanos.add(n);
    }

    @Override
    public String toString() {
      long c = count.sum();
      return String.format(Locale.ROOT, "%d x %.2f ms", c, c == 0 ? 0 : nanos.sum() / 1e6 / c);
    }
  }

  static Thread started(Runnable r) {
    Thread t = new Thread(r);
    t.start();
    return t;
  }

  static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
  }
}
