package dev.wagateway.benchmarks;

import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end throughput of the send path: {@code gateway.send} → in-memory queue → dispatcher →
 * simulated engine (no latency, answers on the caller's thread) → SENT event. Pacing is off: this
 * measures the gateway, not WhatsApp's limits. Latency is the SENT event's timestamp minus the
 * message's acceptance time (both from the system clock, microsecond resolution).
 *
 * <p>Two modes. Throughput (closed loop): producers send as fast as the bounded queue lets them;
 * the figure is messages per second from the first send to the last SENT event. Its latencies are
 * mostly time spent waiting in a full queue. Latency (open loop, {@code latency RATE}): producers
 * offer a fixed rate below capacity, so p50/p99 are the pipeline's own.
 *
 * <p>Usage: {@code java -cp ... QueuePipelineBenchmark [messages] [sessions] [producers] [rounds]
 * [latency RATE]}
 */
public final class QueuePipelineBenchmark {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int producers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    double rate = args.length > 5 && args[4].equals("latency") ? Double.parseDouble(args[5]) : 0;
    if (args.length > 4 && args[4].equals("tracker")) {
      System.out.printf(Locale.ROOT, "RESULT tracker alone: %.0f ns per sent message%n", trackerNanosPerMessage());
      System.out.printf(Locale.ROOT, "RESULT tracker calls alone: dispatchLag (one timer) %.0f ns, messageSent"
          + " (a counter and two timers) %.0f ns, two receipts (two counters) %.0f ns%n", trackerNanos(Calls.LAG),
          trackerNanos(Calls.SENT), trackerNanos(Calls.RECEIPTS));
      printTwoThreads();
      printTimerRecord();
      return;
    }
    if (args.length > 4 && args[4].equals("metrics")) {
      metricsOverhead(messages, sessions, producers, rounds);
      return;
    }
    System.out.printf(Locale.ROOT, "machine: %d cores, JVM %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(Locale.ROOT, "%d messages per round over %d sessions, %d producer threads, %s%n",
        messages, sessions, producers, rate > 0 ? "offered " + (long) rate + " msg/s" : "closed loop");
    List<double[]> results = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      String gcBefore = gcInfo();
      double[] res = round(messages, sessions, producers, rate);
      System.out.printf(Locale.ROOT, "%s %d: %,.0f msg/s, p50 %.3f ms, p99 %.3f ms (GC before: %s, after: %s)%n",
          r == 0 ? "warm-up" : "round", r, res[0], res[1], res[2], gcBefore, gcInfo());
      if (r > 0) {
        results.add(res);
      }
    }
    double[] tput = results.stream().mapToDouble(x -> x[0]).sorted().toArray();
    double[] p50 = results.stream().mapToDouble(x -> x[1]).sorted().toArray();
    double[] p99 = results.stream().mapToDouble(x -> x[2]).sorted().toArray();
    System.out.printf(Locale.ROOT, "RESULT median of %d rounds: %,.0f msg/s (min %,.0f, max %,.0f),"
        + " p50 %.3f ms, p99 %.3f ms%n", tput.length, tput[tput.length / 2], tput[0],
        tput[tput.length - 1], p50[p50.length / 2], p99[p99.length / 2]);
  }

  /**
   * Pairs of rounds without and with WaGatewayMetrics bound to a Prometheus registry (scraped once
   * per round), in ABBA order so that drift in JIT and heap state falls on both sides alike. Reports
   * the medians, the median of the per-pair overheads, process CPU per message, and the tracker's own
   * cost per sent message measured alone (one thread, the calls a sent message makes).
   */
  static void metricsOverhead(int messages, int sessions, int producers, int rounds) throws Exception {
    double[] without = new double[rounds];
    double[] with = new double[rounds];
    double[] pairOverhead = new double[rounds];
    double[] cpuWithout = new double[rounds];
    double[] cpuWith = new double[rounds];
    double[] lagCalls = new double[rounds];
    double[] receiptCalls = new double[rounds];
    // the recording starts before the warm-up: its start (JFR loads and initialises its classes) took
    // the first pair's round without metrics down to a third of its speed in every run
    Profile profile = new Profile();
    round(messages, sessions, producers, 0); // warm-up
    round(messages, sessions, producers, 0, true);
    for (int r = 0; r < rounds; r++) {
      double[] a;
      double[] b;
      if (r % 2 == 0) {
        a = profile.round(false, () -> round(messages, sessions, producers, 0, false));
        b = profile.round(true, () -> round(messages, sessions, producers, 0, true));
      } else {
        b = profile.round(true, () -> round(messages, sessions, producers, 0, true));
        a = profile.round(false, () -> round(messages, sessions, producers, 0, false));
      }
      without[r] = a[0];
      with[r] = b[0];
      cpuWithout[r] = a[3];
      cpuWith[r] = b[3];
      lagCalls[r] = b[4];
      receiptCalls[r] = b[5];
      pairOverhead[r] = 100 * (a[0] - b[0]) / a[0];
      System.out.printf(Locale.ROOT, "pair %d: without metrics %,.0f msg/s (%.0f CPU ns/msg), with %,.0f msg/s"
          + " (%.0f CPU ns/msg): %.1f%%%n", r + 1, a[0], a[3], b[0], b[3], pairOverhead[r]);
    }
    profile.report(messages);
    double mw = median(without);
    double mb = median(with);
    double cw = median(cpuWithout);
    double cb = median(cpuWith);
    System.out.printf(Locale.ROOT, "RESULT metrics overhead: median without %,.0f msg/s, with %,.0f msg/s: %.1f%%;"
        + " median of pair overheads %.1f%%; CPU per message %.0f ns without, %.0f ns with (%+.1f%%)%n",
        mw, mb, 100 * (mw - mb) / mw, median(pairOverhead), cw, cb, 100 * (cb - cw) / cw);
    double trackerNanos = trackerNanosPerMessage();
    System.out.printf(Locale.ROOT, "RESULT tracker alone: %.0f ns per sent message (messageSent + dispatchLag + 2 receipts),"
        + " %.1f%% of the %.0f ns of CPU a message costs without metrics%n", trackerNanos, 100 * trackerNanos / cw, cw);
    // the same calls weighted by how often the pipeline made them: dispatchLag once per claimed batch,
    // not per message, and the receipts the simulated engine sent
    double lag = median(lagCalls);
    double receipts = median(receiptCalls);
    double mixNanos = lag * trackerNanos(Calls.LAG) + trackerNanos(Calls.SENT) + receipts / 2 * trackerNanos(Calls.RECEIPTS);
    System.out.printf(Locale.ROOT, "RESULT tracker alone at the pipeline's call mix (dispatchLag %.3f and receipts %.2f"
        + " per sent message, medians of the rounds with metrics): %.0f ns, %.1f%% of the %.0f ns of CPU a message"
        + " costs without metrics%n", lag, receipts, mixNanos, 100 * mixNanos / cw, cw);
    printTwoThreads();
    printTimerRecord();
  }

  /** A round's work, returning its figures. */
  interface Round {
    double[] run() throws Exception;
  }

  /**
   * What the pairs' wall-clock figures cannot separate from the machine's noise: a JFR recording of
   * execution samples (every 2 ms per running Java thread) over the pairs, counted on the
   * pipeline's own threads (the gateway's scheduler "bench-*", the producers, the event threads) in
   * the rounds with and without metrics, and the share of samples in the rounds with metrics whose
   * stack is in wa-metrics or Micrometer code; and the time the collectors took in each kind of round.
   * Samples count Java code only, so the share is of the pipeline's Java work, not of GC threads.
   * Off with {@code -Dwa.bench.jfr=false}; {@code -Dwa.bench.jfr.keep=PATH} keeps the recording.
   */
  static final class Profile {
    static final int PERIOD_MS = 2;
    final jdk.jfr.@org.jspecify.annotations.Nullable Recording recording; // null: -Dwa.bench.jfr=false
    final List<java.time.Instant[]> withRounds = new ArrayList<>();
    final List<java.time.Instant[]> withoutRounds = new ArrayList<>();
    final long[] gcMillis = new long[2];
    final long[] wallMillis = new long[2];

    Profile() {
      if (!"false".equals(System.getProperty("wa.bench.jfr"))) {
        recording = new jdk.jfr.Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(PERIOD_MS));
        recording.start();
      } else {
        recording = null;
      }
    }

    double[] round(boolean withMetrics, Round work) throws Exception {
      long gc0 = gcMillis();
      java.time.Instant start = java.time.Instant.now();
      double[] result = work.run();
      java.time.Instant end = java.time.Instant.now();
      (withMetrics ? withRounds : withoutRounds).add(new java.time.Instant[] {start, end});
      int k = withMetrics ? 1 : 0;
      gcMillis[k] += gcMillis() - gc0;
      wallMillis[k] += Duration.between(start, end).toMillis();
      return result;
    }

    static long gcMillis() {
      long sum = 0;
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        sum += Math.max(0, gc.getCollectionTime());
      }
      return sum;
    }

    static boolean inside(List<java.time.Instant[]> rounds, java.time.Instant t) {
      for (java.time.Instant[] r : rounds) {
        if (!t.isBefore(r[0]) && t.isBefore(r[1])) {
          return true;
        }
      }
      return false;
    }

    static boolean pipelineThread(String name) {
      return name.startsWith("bench") || name.startsWith("producer-") || name.startsWith("wa-events");
    }

    /** The outermost wa-metrics or Micrometer method on the stack, or null when there is none. */
    static @org.jspecify.annotations.Nullable String metricsEntry(jdk.jfr.consumer.RecordedStackTrace stack) {
      String entry = null;
      for (jdk.jfr.consumer.RecordedFrame f : stack.getFrames()) { // innermost first
        String type = f.getMethod().getType().getName();
        if (type.startsWith("dev.wagateway.metrics.") || type.startsWith("io.micrometer.")
            || type.startsWith("io.prometheus.")) {
          entry = shortName(f.getMethod());
        } else if (entry != null) {
          return entry;
        }
      }
      return entry;
    }

    void report(int messagesPerRound) throws Exception {
      System.out.printf(Locale.ROOT, "RESULT GC time: %.1f%% of the rounds' wall time without metrics, %.1f%% with%n",
          100.0 * gcMillis[0] / Math.max(1, wallMillis[0]), 100.0 * gcMillis[1] / Math.max(1, wallMillis[1]));
      if (recording == null) {
        return;
      }
      recording.stop();
      String keep = System.getProperty("wa.bench.jfr.keep"); // a path: keep the recording there for `jfr print`
      java.nio.file.Path file = keep != null ? java.nio.file.Path.of(keep)
          : java.nio.file.Files.createTempFile("wa-metrics-profile", ".jfr");
      try {
        recording.dump(file);
        long with = 0;
        long without = 0;
        long metricsCode = 0;
        java.util.Map<String, Long> entries = new java.util.TreeMap<>();
        java.util.Map<String, long[]> byMethod = new java.util.HashMap<>(); // innermost frame: {without, with}
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
          if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
            continue;
          }
          jdk.jfr.consumer.RecordedThread t = e.getThread("sampledThread");
          if (t == null || t.getJavaName() == null || !pipelineThread(t.getJavaName())) {
            continue;
          }
          boolean inWith = inside(withRounds, e.getStartTime());
          if (inWith || inside(withoutRounds, e.getStartTime())) {
            byMethod.computeIfAbsent(innermost(e.getStackTrace()), x -> new long[2])[inWith ? 1 : 0]++;
          }
          if (inWith) {
            with++;
            String entry = e.getStackTrace() == null ? null : metricsEntry(e.getStackTrace());
            if (entry != null) {
              metricsCode++;
              entries.merge(entry, 1L, Long::sum);
            }
          } else if (inside(withoutRounds, e.getStartTime())) {
            without++;
          }
        }
        double perThousandWithout = 1000.0 * without / ((double) messagesPerRound * withoutRounds.size());
        double perThousandWith = 1000.0 * with / ((double) messagesPerRound * withRounds.size());
        System.out.printf(Locale.ROOT, "RESULT metrics code in the pipeline (JFR samples of its threads in the rounds"
            + " with metrics): %.1f%% of %d samples (%d in wa-metrics or Micrometer); samples per 1,000 messages"
            + " %.2f without, %.2f with (%+.1f%%)%n", 100.0 * metricsCode / Math.max(1, with), with, metricsCode,
            perThousandWithout, perThousandWith, 100 * (perThousandWith - perThousandWithout) / perThousandWithout);
        StringBuilder top = new StringBuilder("metrics samples by the call the pipeline made:");
        entries.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
            .forEach(x -> top.append(' ').append(x.getKey()).append(' ').append(x.getValue()));
        System.out.println(top);
        printMethodDiff(byMethod, messagesPerRound);
      } finally {
        recording.close();
        if (keep == null) {
          java.nio.file.Files.deleteIfExists(file);
        }
      }
    }

    /** The innermost frame's type and method, or "(no stack)". */
    static String innermost(jdk.jfr.consumer.@org.jspecify.annotations.Nullable RecordedStackTrace stack) {
      if (stack == null || stack.getFrames().isEmpty()) {
        return "(no stack)";
      }
      return shortName(stack.getFrames().get(0).getMethod());
    }

    /** A method as its type's simple name and its own: {@code Dispatcher.send}. */
    static String shortName(jdk.jfr.consumer.RecordedMethod m) {
      String type = m.getType().getName();
      return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
    }

    /**
     * The methods whose samples per 1,000 messages grew most with metrics, by the innermost frame:
     * where the pipeline's extra time goes when it is not in metrics code.
     */
    void printMethodDiff(java.util.Map<String, long[]> byMethod, int messagesPerRound) {
      double kWithout = 1000.0 / ((double) messagesPerRound * withoutRounds.size());
      double kWith = 1000.0 / ((double) messagesPerRound * withRounds.size());
      StringBuilder sb = new StringBuilder("RESULT samples per 1,000 messages that grew most with metrics"
          + " (innermost frame: without -> with):");
      byMethod.entrySet().stream()
          .sorted(java.util.Comparator.comparingDouble(
              (java.util.Map.Entry<String, long[]> x) -> x.getValue()[0] * kWithout - x.getValue()[1] * kWith))
          .limit(12)
          .forEach(x -> sb.append(String.format(Locale.ROOT, " %s %.3f -> %.3f;", x.getKey(),
              x.getValue()[0] * kWithout, x.getValue()[1] * kWith)));
      System.out.println(sb);
    }
  }

  static void printTwoThreads() throws Exception {
    double[] r = trackerNanosTwoThreads();
    System.out.printf(Locale.ROOT, "RESULT tracker on 2 threads at once (median of %d alternating rounds each): %.0f ns"
        + " of CPU per sent message with each call recorded at once, %.0f ns in runs of %d (the dispatcher's drains;"
        + " the gateway-wide timer written at a run's end); worst round %.0f / %.0f ns%n",
        TWO_THREAD_ROUNDS, r[0], r[1], RUN, r[2], r[3]);
  }

  /**
   * One record of a timer built as the gateway builds its send timer (8 SLO buckets, one max slot,
   * no pause detector) on a Prometheus registry, with the system clock and with a clock that does not
   * move: Micrometer reads the registry's wall clock on every record, for the max's rotation and for
   * the histogram's. The best of 5 rounds of 5 million records, single thread.
   */
  static void printTimerRecord() {
    double system = timerRecordNanos(io.micrometer.core.instrument.Clock.SYSTEM);
    double still = timerRecordNanos(STILL_CLOCK);
    long t0 = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < 5_000_000; i++) {
      sink += System.currentTimeMillis();
    }
    double millisRead = (System.nanoTime() - t0) / 5e6;
    if (sink == 42) {
      System.out.print("");
    }
    System.out.printf(Locale.ROOT, "RESULT one timer record: %.1f ns with the system clock, %.1f ns with a clock that"
        + " does not move (System.currentTimeMillis alone: %.1f ns)%n", system, still, millisRead);
  }

  /** A clock that does not move: a timer on it never rotates and never reads the time. */
  static final io.micrometer.core.instrument.Clock STILL_CLOCK = new io.micrometer.core.instrument.Clock() {
    @Override
    public long wallTime() {
      return 1_000;
    }

    @Override
    public long monotonicTime() {
      return 1_000;
    }
  };

  static double timerRecordNanos(io.micrometer.core.instrument.Clock clock) {
    var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT,
        new io.prometheus.metrics.model.registry.PrometheusRegistry(), clock);
    io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder("bench")
        .serviceLevelObjectives(dev.wagateway.metrics.WaGatewayMetrics.DEFAULT_SEND_SLOS
            .toArray(Duration[]::new))
        .distributionStatisticBufferLength(1)
        .pauseDetector(new io.micrometer.core.instrument.distribution.pause.NoPauseDetector())
        .register(registry);
    long[] durations = logNormalDurations();
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      int n = 5_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        timer.record(durations[i & 0xFFFF], java.util.concurrent.TimeUnit.NANOSECONDS);
      }
      if (round >= 2) {
        best = Math.min(best, (System.nanoTime() - t0) / (double) n);
      }
    }
    registry.close();
    return best;
  }

  static final int RUN = 20;
  static final int TWO_THREAD_ROUNDS = 10;

  /**
   * The same calls as {@link #trackerNanosPerMessage} from two threads at once, each taking runs of
   * {@link #RUN} messages of one session in turn as dispatcher lanes do, once with each call recorded
   * at once and once with each run bracketed by runStarted/runEnded as a drain is, in alternating
   * rounds (the machine's state drifts). CPU ns per message (both threads' time over both threads'
   * messages): {median at once, median in runs, worst at once, worst in runs}. Medians, not the best
   * round: the best is the round in which the threads overlapped least.
   */
  static double[] trackerNanosTwoThreads() throws Exception {
    dev.wagateway.metrics.WaGatewayMetrics metrics = new dev.wagateway.metrics.WaGatewayMetrics();
    metrics.bindTo(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
    dev.wagateway.observe.MetricsTracker t = metrics.tracker();
    long[] durations = logNormalDurations();
    double[] alone = new double[TWO_THREAD_ROUNDS];
    double[] runs = new double[TWO_THREAD_ROUNDS];
    for (int round = -2; round < TWO_THREAD_ROUNDS; round++) { // two warm-up rounds each
      boolean runsFirst = (round & 1) != 0;
      double a = twoThreadRound(t, durations, runsFirst);
      double b = twoThreadRound(t, durations, !runsFirst);
      if (round >= 0) {
        alone[round] = runsFirst ? b : a;
        runs[round] = runsFirst ? a : b;
      }
    }
    metrics.close();
    if (Boolean.getBoolean("wa.bench.rounds")) {
      System.out.println("at once " + Arrays.toString(alone) + "\nin runs " + Arrays.toString(runs));
    }
    return new double[] {median(alone), median(runs), Arrays.stream(alone).max().orElse(0),
        Arrays.stream(runs).max().orElse(0)};
  }

  private static double twoThreadRound(dev.wagateway.observe.MetricsTracker t, long[] durations, boolean runs)
      throws Exception {
    int n = 1_000_000; // per thread
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
    long[] sinks = new long[2];
    Thread[] threads = new Thread[2];
    for (int th = 0; th < 2; th++) {
      int self = th;
      threads[th] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        long sink = 0;
        for (int i = 0; i < n; i += RUN) {
          // thread 0 takes even sessions, thread 1 odd ones; the lanes move on every run
          String s = "s" + (((i / RUN) % 25) * 2 + self);
          if (runs) {
            t.runStarted();
          }
          t.dispatchLag(durations[i & 0xFFFF] >> 4);
          for (int k = 0; k < RUN; k++) {
            long d = durations[(i + k) & 0xFFFF];
            t.messageSent(s, "text", d, d * 3);
            t.receipt(s, MessageStatus.DELIVERED);
            t.receipt(s, MessageStatus.READ);
            sink += d;
          }
          if (runs) {
            t.runEnded();
          }
        }
        sinks[self] = sink;
      });
      threads[th].start();
    }
    start.await();
    long t0 = System.nanoTime();
    for (Thread th : threads) {
      th.join();
    }
    if (sinks[0] + sinks[1] == 42) {
      System.out.print("");
    }
    return 2.0 * (System.nanoTime() - t0) / (2.0 * n);
  }

  static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /**
   * Durations as a real run has them: random, log-normal around 1 ms (a rising sequence would make
   * every record a new maximum, which real latencies are not); the same seed for every measurement.
   */
  static long[] logNormalDurations() {
    java.util.Random rnd = new java.util.Random(42);
    long[] durations = new long[1 << 16];
    for (int i = 0; i < durations.length; i++) {
      durations[i] = (long) (1_000_000 * Math.exp(rnd.nextGaussian()));
    }
    return durations;
  }

  /** Which of a sent message's tracker calls a timing makes. */
  enum Calls { ALL, LAG, SENT, RECEIPTS }

  /** The calls one sent message makes into the tracker, timed alone on one thread. */
  static double trackerNanosPerMessage() {
    return trackerNanos(Calls.ALL);
  }

  /** Some or all of the calls one sent message makes into the tracker, timed alone on one thread (the best of 5 rounds). */
  static double trackerNanos(Calls calls) {
    dev.wagateway.metrics.WaGatewayMetrics metrics = new dev.wagateway.metrics.WaGatewayMetrics();
    metrics.bindTo(new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
    dev.wagateway.observe.MetricsTracker t = metrics.tracker();
    String[] sessions = new String[50];
    for (int i = 0; i < sessions.length; i++) {
      sessions[i] = "s" + i;
    }
    long[] durations = logNormalDurations();
    long sink = 0;
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      int n = 2_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String s = sessions[i % sessions.length];
        long d = durations[i & 0xFFFF];
        if (calls == Calls.ALL || calls == Calls.LAG) {
          t.dispatchLag(d >> 4);
        }
        if (calls == Calls.ALL || calls == Calls.SENT) {
          t.messageSent(s, "text", d, d * 3);
        }
        if (calls == Calls.ALL || calls == Calls.RECEIPTS) {
          t.receipt(s, MessageStatus.DELIVERED);
          t.receipt(s, MessageStatus.READ);
        }
        sink += d;
      }
      double perMessage = (System.nanoTime() - t0) / (double) n;
      if (round >= 2) {
        best = Math.min(best, perMessage); // rounds 0-1 warm the JIT
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
    return best;
  }

  static double[] round(int messages, int sessions, int producers, double rate) throws Exception {
    return round(messages, sessions, producers, rate, false);
  }

  /** Returns {throughput msg/s, p50 ms, p99 ms, process CPU ns per message}. */
  static double[] round(int messages, int sessions, int producers, double rate, boolean withMetrics)
      throws Exception {
    TaskScheduler scheduler = TaskScheduler.system("bench", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler, SimulatedConfig.instant());
    network.recordSends(false);
    QueueConfig queue = QueueConfig.defaults().withPacing(PacingPolicy.off())
        .withMaxQueued(100_000, QueueConfig.Overflow.BLOCK, Duration.ofMinutes(1));
    // -Dwa.bench.sessionTags=N: sessions past the first N share the tag "other", and so their meters
    dev.wagateway.metrics.WaGatewayMetrics metrics = withMetrics ? dev.wagateway.metrics.WaGatewayMetrics.builder()
        .maxSessionTags(Integer.getInteger("wa.bench.sessionTags", dev.wagateway.metrics.WaGatewayMetrics.DEFAULT_MAX_SESSION_TAGS))
        .build() : null;
    var builder = WaGateway.builder().scheduler(scheduler).engine(network.engine())
        .queue(queue).messageRetention(Duration.ofSeconds(1));
    // -Dwa.bench.tracker=empty: the rounds "with metrics" bind a tracker whose methods do nothing (a
    // class of its own, as the real one is): what the calls and their arguments cost the pipeline
    // -Dwa.bench.tracker=held: one that reads the arguments and holds them on the thread as the real
    // one does, but writes no meter: what the tracker costs apart from Micrometer's records
    String trackerKind = System.getProperty("wa.bench.tracker", "metrics");
    if (!List.of("metrics", "empty", "held").contains(trackerKind)) {
      throw new IllegalArgumentException("-Dwa.bench.tracker must be metrics, empty or held, was " + trackerKind);
    }
    boolean benchTracker = !trackerKind.equals("metrics"); // one of the two above: it records nothing
    if (metrics != null) {
      builder.metricsTracker(trackerKind.equals("empty") ? new EmptyTracker()
          : trackerKind.equals("held") ? new HeldOnlyTracker() : metrics.tracker());
    }
    try (WaGateway gw = builder.build()) {
      AtomicLong sentCount = new AtomicLong();
      AtomicLong lastSentNanos = new AtomicLong();
      long[] latMicros = new long[messages];
      AtomicInteger latIdx = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(1);
      gw.events().subscribe(e -> {
        if (e instanceof GatewayEvent.MessageStatusChanged m && m.status() == MessageStatus.SENT) {
          int i = latIdx.getAndIncrement();
          if (i < latMicros.length) {
            latMicros[i] = Duration.between(m.acceptedAt(), m.timestamp()).toNanos() / 1_000;
          }
          if (sentCount.incrementAndGet() == messages) {
            lastSentNanos.set(System.nanoTime());
            done.countDown();
          }
        }
      }, SubscribeOptions.sync("bench"));
      gw.start();
      io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus = null;
      if (metrics != null) {
        // -Dwa.bench.clock=still: the registry's clock does not move, so no record reads the wall clock
        prometheus = "still".equals(System.getProperty("wa.bench.clock"))
            ? new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), STILL_CLOCK)
            : new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        if ("false".equals(System.getProperty("wa.bench.pauseDetector"))) { // the registry's default timers' detector off
          prometheus.config().pauseDetector(new io.micrometer.core.instrument.distribution.pause.NoPauseDetector());
        }
        if (!"false".equals(System.getProperty("wa.bench.attach"))) { // false: the tracker alone, no gauges or event subscription
          metrics.attach(gw);
        }
        metrics.bindTo(prometheus);
      }
      for (int i = 0; i < sessions; i++) {
        gw.sessions().create("s" + i);
        String id = "s" + i;
        while (network.currentQr(id) == null) {
          Thread.onSpinWait();
        }
        network.scan(network.currentQr(id), "+4917100" + String.format("%05d", i));
      }
      while (!gw.sessions().list().stream().allMatch(s -> s.state() == SessionState.CONNECTED)) {
        Thread.sleep(1);
      }
      // Requests are built before the clock starts: the benchmark measures the gateway.
      MessageRequest[][] requests = new MessageRequest[producers][];
      for (int p = 0; p < producers; p++) {
        int n = messages / producers + (p < messages % producers ? 1 : 0);
        requests[p] = new MessageRequest[n];
        for (int i = 0; i < n; i++) {
          requests[p][i] = MessageRequest.builder().session("s" + (i % sessions))
              .to("+1415" + p + String.format("%06d", i % 10_000)).text("benchmark").build();
        }
      }
      System.gc();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        MessageRequest[] mine = requests[p];
        double perProducerRate = rate / producers;
        Thread t = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          long t0 = System.nanoTime();
          for (int i = 0; i < mine.length; i++) {
            if (perProducerRate > 0) {
              // Park, don't spin: on 2 cores a spinning producer takes the dispatcher's CPU.
              long due = t0 + (long) (i * 1e9 / perProducerRate);
              long wait;
              while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
              }
            }
            gw.send(mine[i]);
          }
        }, "producer-" + p);
        t.start();
        threads.add(t);
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long start = System.nanoTime();
      go.countDown();
      if (!done.await(5, java.util.concurrent.TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + sentCount.get() + " of " + messages + " sent in 5 min");
      }
      for (Thread t : threads) {
        t.join();
      }
      double seconds = (lastSentNanos.get() - start) / 1e9;
      double cpuPerMessage = (os.getProcessCpuTime() - cpu0) / (double) messages;
      double lagPerMessage = 0;
      double receiptsPerMessage = 0;
      if (prometheus != null && benchTracker) {
        metrics.close();
        lagPerMessage = Double.NaN; // nothing recorded: the call-mix line does not apply
      } else if (prometheus != null) {
        if (!prometheus.scrape().contains("whatsapp_messages_sent_total")) {
          throw new IllegalStateException("the scrape lacks whatsapp_messages_sent_total");
        }
        // the tracker calls the round made, per message: dispatch lag is sampled per claimed batch
        lagPerMessage = prometheus.get(dev.wagateway.metrics.WaMetricNames.DISPATCH_LAG).timer().count()
            / (double) messages;
        if (lagPerMessage == 0) { // the weighted tracker line would leave dispatchLag out without a word
          throw new IllegalStateException("the round recorded no whatsapp_dispatch_lag_seconds");
        }
        for (String receipt : new String[] {dev.wagateway.metrics.WaMetricNames.MESSAGES_DELIVERED,
            dev.wagateway.metrics.WaMetricNames.MESSAGES_READ}) {
          for (io.micrometer.core.instrument.Counter c : prometheus.find(receipt).counters()) {
            receiptsPerMessage += c.count() / messages;
          }
        }
        metrics.close();
      }
      long[] lat = Arrays.copyOf(latMicros, Math.min(latIdx.get(), latMicros.length));
      Arrays.sort(lat);
      return new double[] {messages / seconds, lat[lat.length / 2] / 1000.0,
          lat[(int) (lat.length * 0.99)] / 1000.0, cpuPerMessage, lagPerMessage, receiptsPerMessage};
    } finally {
      scheduler.close();
    }
  }

  /** A tracker that is not {@link dev.wagateway.observe.MetricsTracker#NOOP} and does nothing. */
  static final class EmptyTracker implements dev.wagateway.observe.MetricsTracker {
    @Override
    public void messageSent(String sessionId, String contentType, long sendNanos, long sinceAcceptedNanos) {}

    @Override
    public void dispatchLag(long lagNanos) {}

    @Override
    public void runStarted() {}

    @Override
    public void runEnded() {}
  }

  /** Reads every argument of a sent message into a thread's buffer, as WaGatewayMetrics does, and records nothing. */
  static final class HeldOnlyTracker implements dev.wagateway.observe.MetricsTracker {
    static final class Buffer {
      final long[] values = new long[512];
      int size;
      long sink;
    }

    final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    @Override
    public void messageSent(String sessionId, String contentType, long sendNanos, long sinceAcceptedNanos) {
      Buffer b = buffers.get();
      if (b.size == b.values.length) {
        b.size = 0;
      }
      b.values[b.size++] = sendNanos;
      b.values[b.size++] = sinceAcceptedNanos;
      b.sink += sessionId.length() + contentType.length();
    }

    @Override
    public void runEnded() {
      Buffer b = buffers.get();
      for (int i = 0; i < b.size; i++) {
        b.sink += b.values[i];
      }
      b.size = 0;
    }
  }

  /** Collections and their total time so far, so a slow round can be matched with GC. */
  static String gcInfo() {
    long count = 0;
    long millis = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += gc.getCollectionCount();
      millis += gc.getCollectionTime();
    }
    return count + " GCs, " + millis + " ms";
  }
}
