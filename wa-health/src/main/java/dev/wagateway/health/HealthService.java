package dev.wagateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs health checks concurrently, each with a timeout: a check that hangs is reported DOWN after
 * its timeout and never holds the endpoint up; while it still hangs, it is not started again (no
 * pile-up of stuck threads). Results can be cached for a short time to protect expensive checks.
 */
public final class HealthService implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final List<HealthCheck> checks;
  private final Duration timeout;
  private final Duration cacheFor;
  private final Clock clock;
  private final Supplier<@Nullable Instant> startedAt;
  private final ExecutorService executor;
  private final Map<String, CompletableFuture<HealthResult>> running = new ConcurrentHashMap<>();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(HealthReport.CheckOutcome outcome, Instant at) {}

  private HealthService(Builder b) {
    this.checks = List.copyOf(b.checks);
    this.timeout = b.timeout;
    this.cacheFor = b.cacheFor;
    this.clock = b.clock;
    this.startedAt = b.startedAt;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wa-health-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every check. */
  public HealthReport report() {
    return run(null);
  }

  /** The checks of one group. */
  public HealthReport report(HealthCheck.Group group) {
    return run(group);
  }

  private HealthReport run(HealthCheck.@Nullable Group group) {
    Instant now = clock.instant();
    Map<String, CompletableFuture<HealthReport.CheckOutcome>> pending = new LinkedHashMap<>();
    for (HealthCheck c : checks) {
      if (group == null || c.groups().contains(group)) {
        pending.put(c.name(), start(c, now));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, HealthReport.CheckOutcome> out = new LinkedHashMap<>();
    HealthStatus worst = HealthStatus.UP;
    for (var e : pending.entrySet()) {
      HealthReport.CheckOutcome o;
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        o = e.getValue().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException ex) {
        o = new HealthReport.CheckOutcome(HealthStatus.DOWN, timeout.toMillis(),
            Map.of("reason", "no answer within " + timeout));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        o = new HealthReport.CheckOutcome(HealthStatus.DOWN, 0, Map.of("reason", "interrupted"));
      } catch (java.util.concurrent.ExecutionException ex) {
        o = failed(ex.getCause(), 0);
      }
      out.put(e.getKey(), o);
      worst = worst.worst(o.status());
    }
    Instant started = startedAt.get();
    long uptime = started == null ? 0 : Math.max(0, Duration.between(started, now).toSeconds());
    return new HealthReport(worst, now, uptime, out);
  }

  private CompletableFuture<HealthReport.CheckOutcome> start(HealthCheck c, Instant now) {
    Cached cached = cache.get(c.name());
    if (cached != null && Duration.between(cached.at(), now).compareTo(cacheFor) < 0) {
      return CompletableFuture.completedFuture(cached.outcome());
    }
    CompletableFuture<HealthResult> still = running.get(c.name());
    if (still != null && !still.isDone()) {
      return CompletableFuture.completedFuture(new HealthReport.CheckOutcome(HealthStatus.DOWN,
          timeout.toMillis(), Map.of("reason", "an earlier run has not finished")));
    }
    long t0 = System.nanoTime();
    CompletableFuture<HealthResult> f = CompletableFuture.supplyAsync(c::check, executor);
    running.put(c.name(), f);
    return f.handle((r, error) -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      HealthReport.CheckOutcome o = error != null ? failed(error, ms)
          : new HealthReport.CheckOutcome(r.status(), ms, r.details());
      if (!cacheFor.isZero()) {
        cache.put(c.name(), new Cached(o, now));
      }
      return o;
    });
  }

  /** A check that threw is DOWN; our own exceptions have clean messages, others show the type only. */
  private static HealthReport.CheckOutcome failed(Throwable error, long ms) {
    Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    String reason = t instanceof dev.wagateway.WaException ? t.getMessage() : t.getClass().getSimpleName();
    return new HealthReport.CheckOutcome(HealthStatus.DOWN, ms, Map.of("reason", "check failed: " + reason));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Configures a {@link HealthService}. */
  public static final class Builder {
    private final List<HealthCheck> checks = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration cacheFor = Duration.ZERO;
    private Clock clock = Clock.systemUTC();
    private Supplier<@Nullable Instant> startedAt = () -> null;

    public Builder check(HealthCheck check) {
      Objects.requireNonNull(check, "check");
      if (checks.stream().anyMatch(c -> c.name().equals(check.name()))) {
        throw new IllegalArgumentException("a check named '" + check.name() + "' exists already");
      }
      checks.add(check);
      return this;
    }

    public Builder checks(List<HealthCheck> all) {
      all.forEach(this::check);
      return this;
    }

    /** The longest any one check may take (default 2 s); then it is DOWN. */
    public Builder timeout(Duration t) {
      if (t == null || t.isZero() || t.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = t;
      return this;
    }

    /** Reuse a check's result for this long (default: not at all). */
    public Builder cacheFor(Duration d) {
      this.cacheFor = Objects.requireNonNull(d, "cacheFor");
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** Where uptime counts from (e.g. {@code gateway::startedAt}). */
    public Builder startedAt(Supplier<@Nullable Instant> s) {
      this.startedAt = Objects.requireNonNull(s, "startedAt");
      return this;
    }

    public HealthService build() {
      return new HealthService(this);
    }
  }
}
