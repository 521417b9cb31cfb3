package dev.wagateway.engine.simulated;

import dev.wagateway.engine.Disconnect;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import java.time.Duration;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Faults injected into one session of a {@link SimulatedNetwork}. They outlive connections, so a
 * fault set before a reconnect applies to the next connection. Thread-safe.
 */
public final class SimulatedFaults {
  private final SimulatedNetwork network;
  private final String sessionId;

  private int refuseConnects;
  private int flaps;
  private Duration flapAfter = Duration.ofMillis(100);
  private int rateLimited;
  private Duration retryAfter = Duration.ofSeconds(1);
  private int dropSends;
  private Duration extraLatency = Duration.ZERO;
  private boolean stalled;
  private double transientRatio;
  private double permanentRatio;
  private @Nullable Random random;

  SimulatedFaults(SimulatedNetwork network, String sessionId) {
    this.network = network;
    this.sessionId = sessionId;
  }

  /** Drops the current connection now (the core reconnects). */
  public void disconnect() {
    network.disconnect(sessionId, Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "injected drop"));
  }

  /** Ends the current connection as {@code kind}, e.g. RESTRICTED or REPLACED. */
  public void disconnect(Disconnect.Kind kind, String detail) {
    network.disconnect(sessionId, Disconnect.of(kind, detail));
  }

  /** The phone unlinks this device: LOGGED_OUT, and the credentials no longer work. */
  public void logoutFromPhone() {
    network.unlinkDevice(sessionId);
  }

  /** The account is restricted: the connection ends with RESTRICTED. */
  public void restrict() {
    disconnect(Disconnect.Kind.RESTRICTED, "account restricted (injected)");
  }

  /** The next {@code n} connection attempts fail. */
  public synchronized SimulatedFaults refuseConnects(int n) {
    refuseConnects = n;
    return this;
  }

  /** The next {@code n} connections succeed and then drop after {@code after}. */
  public synchronized SimulatedFaults flap(int n, Duration after) {
    flaps = n;
    flapAfter = after;
    return this;
  }

  /** The next {@code n} sends fail as rate-limited, advising a wait of {@code retryAfter}. */
  public synchronized SimulatedFaults rateLimit(int n, Duration retryAfter) {
    rateLimited = n;
    this.retryAfter = retryAfter;
    return this;
  }

  /** The next {@code n} sends are never answered (the core's send timeout fires). */
  public synchronized SimulatedFaults dropSends(int n) {
    dropSends = n;
    return this;
  }

  /** Adds {@code latency} to every answer. */
  public synchronized SimulatedFaults latency(Duration latency) {
    extraLatency = latency;
    return this;
  }

  /**
   * Each send fails transiently with probability {@code transientRatio} and permanently with
   * {@code permanentRatio}, drawn from {@code random} (seed it for reproducible runs).
   */
  public synchronized SimulatedFaults failSends(double transientRatio, double permanentRatio,
      Random random) {
    if (transientRatio < 0 || permanentRatio < 0 || transientRatio + permanentRatio > 1) {
      throw new IllegalArgumentException("ratios must be >= 0 and add up to at most 1");
    }
    this.transientRatio = transientRatio;
    this.permanentRatio = permanentRatio;
    this.random = random;
    return this;
  }

  /**
   * A silent stall: the connection stays open but nothing comes back (no keep-alives, acks,
   * receipts or messages) until {@link #resume()} or a reconnect. The watchdog's case.
   */
  public synchronized SimulatedFaults stall() {
    stalled = true;
    return this;
  }

  /** Clears the stall; with {@link #clear()} every other fault too. */
  public synchronized SimulatedFaults resume() {
    stalled = false;
    return this;
  }

  /** Removes every fault. */
  public synchronized SimulatedFaults clear() {
    refuseConnects = 0;
    flaps = 0;
    rateLimited = 0;
    dropSends = 0;
    extraLatency = Duration.ZERO;
    stalled = false;
    transientRatio = 0;
    permanentRatio = 0;
    random = null;
    return this;
  }

  // ---- used by the simulated connection ----

  synchronized boolean takeRefusedConnect() {
    if (refuseConnects > 0) {
      refuseConnects--;
      return true;
    }
    return false;
  }

  synchronized @Nullable Duration takeFlap() {
    if (flaps > 0) {
      flaps--;
      return flapAfter;
    }
    return null;
  }

  synchronized boolean isStalled() {
    return stalled;
  }

  synchronized void clearStallOnReconnect() {
    stalled = false;
  }

  synchronized Duration extraLatency() {
    return extraLatency;
  }

  /** What happens to the next send: null to send it, a failure, or {@link #DROP}. */
  synchronized @Nullable Failure takeSendFault() {
    if (dropSends > 0) {
      dropSends--;
      return DROP;
    }
    if (rateLimited > 0) {
      rateLimited--;
      return Failure.rateLimited("429", "rate limited (injected)", retryAfter);
    }
    if (random != null) {
      double r = random.nextDouble();
      if (r < permanentRatio) {
        return Failure.of(FailureType.PERMANENT, "400", "refused (injected)");
      }
      if (r < permanentRatio + transientRatio) {
        return Failure.of(FailureType.TRANSIENT, "503", "temporarily unavailable (injected)");
      }
    }
    return null;
  }

  /** Marker: the send is swallowed and never answered. */
  static final Failure DROP = Failure.of(FailureType.TRANSIENT, "drop", "dropped (injected)");
}
