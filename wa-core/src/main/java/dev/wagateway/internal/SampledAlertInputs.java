package dev.wagateway.internal;

import dev.wagateway.WaGateway;
import dev.wagateway.alerting.AlertInputs;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.stats.MessageStatistics;
import dev.wagateway.webhook.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alert inputs of one gateway: its views, refreshed on every tick, and counter samples kept for
 * {@link AlertInputs#HISTORY}.
 */
final class SampledAlertInputs implements AlertInputs {

  private record Sample(Instant at, Map<Counter, Map<String, Long>> values) {}

  private final WaGateway gateway;
  private final MessageStatistics statistics;
  private final Map<String, AtomicLong> reconnects = new ConcurrentHashMap<>();
  private final Deque<Sample> samples = new ArrayDeque<>();
  private Instant now = Instant.EPOCH;
  private List<SessionInfo> sessions = List.of();
  private Map<String, QueueCounts> queues = Map.of();
  private QueueCounts queueTotal = QueueCounts.ZERO;

  SampledAlertInputs(WaGateway gateway, MessageStatistics statistics) {
    this.gateway = gateway;
    this.statistics = statistics;
  }

  void reconnected(String session) {
    reconnects.computeIfAbsent(session, k -> new AtomicLong()).incrementAndGet();
  }

  /** Takes this tick's view and counter sample; called by the evaluator before the rules. */
  void refresh(Instant at) {
    now = at;
    sessions = gateway.sessions().list();
    queues = gateway.queueStats().bySession();
    queueTotal = queues.values().stream().reduce(QueueCounts.ZERO, QueueCounts::plus); // read by several rules
    Map<Counter, Map<String, Long>> v = new HashMap<>();
    Map<String, Long> rc = new HashMap<>();
    reconnects.forEach((k, n) -> rc.put(k, n.get()));
    v.put(Counter.RECONNECTS, rc);
    Map<String, Long> rl = new HashMap<>();
    // only sessions WhatsApp has rate-limited: with thousands of sessions, zeros would fill every sample
    gateway.queueStats().rateLimitHitsBySession().forEach((s, byLimit) -> {
      long n = byLimit.getOrDefault("engine", 0L);
      if (n > 0) {
        rl.put(s, n);
      }
    });
    v.put(Counter.ENGINE_RATE_LIMITS, rl);
    long all = 0;
    long failed = 0;
    for (Map<DeliveryOutcome, Long> byOutcome : gateway.webhookStats().attemptsByEventType().values()) {
      for (Map.Entry<DeliveryOutcome, Long> e : byOutcome.entrySet()) {
        all += e.getValue();
        if (e.getKey() != DeliveryOutcome.SUCCESS) {
          failed += e.getValue();
        }
      }
    }
    v.put(Counter.WEBHOOK_ATTEMPTS, Map.of("", all));
    v.put(Counter.WEBHOOK_FAILURES, Map.of("", failed));
    samples.addLast(new Sample(at, v));
    while (samples.size() > 2 && samples.peekFirst().at().isBefore(at.minus(HISTORY))) {
      samples.removeFirst();
    }
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public List<SessionInfo> sessions() {
    return sessions;
  }

  @Override
  public Map<String, QueueCounts> queues() {
    return queues;
  }

  @Override
  public QueueCounts queueTotal() {
    return queueTotal;
  }

  @Override
  public int disabledWebhookEndpoints() {
    return gateway.webhookStats().disabledEndpoints();
  }

  @Override
  public MessageStatistics.Snapshot statistics(Duration window) {
    return statistics.snapshot(window, null);
  }

  @Override
  public double heapUsedRatio() {
    Runtime r = Runtime.getRuntime();
    return (double) (r.totalMemory() - r.freeMemory()) / r.maxMemory();
  }

  @Override
  public java.util.Set<String> keys(Counter c) {
    Sample last = samples.peekLast();
    return last == null ? java.util.Set.of() : last.values().getOrDefault(c, Map.of()).keySet();
  }

  @Override
  public long increase(Counter c, String key, Duration window) {
    Sample last = samples.peekLast();
    if (last == null) {
      return 0;
    }
    Instant start = now.minus(window);
    Sample base = samples.peekFirst();
    for (Sample s : samples) {
      if (s.at().isAfter(start)) {
        break;
      }
      base = s;
    }
    long v1 = last.values().getOrDefault(c, Map.of()).getOrDefault(key, 0L);
    long v0 = base.values().getOrDefault(c, Map.of()).getOrDefault(key, 0L);
    return Math.max(0, v1 - v0);
  }
}
