package dev.wagateway.engine.simulated;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Timing and behaviour of a {@link SimulatedNetwork}; all durations run on the network's scheduler.
 *
 * @param latency from a request to its answer (connect, send ack, delivery to a peer)
 * @param deliveryDelay from the ack (SENT) to the DELIVERED receipt; null: no receipts at all
 * @param readDelay from DELIVERED to READ (and PLAYED for voice notes); null: never read
 * @param qrValidity how long each QR code lives before a new one is issued
 * @param qrRefreshes how many QR codes are issued before pairing fails (as WhatsApp gives up)
 * @param keepAliveInterval how often a connected session sees a keep-alive answer
 * @param openNetwork every valid number is a WhatsApp user that receives and reads messages;
 *     when false, only numbers linked or {@link SimulatedNetwork#register registered} exist
 */
public record SimulatedConfig(
    Duration latency,
    @Nullable Duration deliveryDelay,
    @Nullable Duration readDelay,
    Duration qrValidity,
    int qrRefreshes,
    Duration keepAliveInterval,
    boolean openNetwork) {

  public SimulatedConfig {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(qrValidity, "qrValidity");
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    if (qrRefreshes < 1) {
      throw new IllegalArgumentException("qrRefreshes must be at least 1");
    }
  }

  /** 20 ms latency, delivered after 100 ms, read after 1 s; QR codes every 20 s, 6 of them. */
  public static SimulatedConfig defaults() {
    return new SimulatedConfig(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofSeconds(20), 6, Duration.ofSeconds(25), true);
  }

  /**
   * No latency (sends are answered on the caller's thread) and no receipts: for throughput
   * benchmarks of the gateway itself.
   */
  public static SimulatedConfig instant() {
    return new SimulatedConfig(Duration.ZERO, null, null, Duration.ofSeconds(20), 6,
        Duration.ofSeconds(25), true);
  }

  public SimulatedConfig withLatency(Duration latency) {
    return new SimulatedConfig(latency, deliveryDelay, readDelay, qrValidity, qrRefreshes,
        keepAliveInterval, openNetwork);
  }

  /** From SENT to DELIVERED; null: the network sends no receipts at all. */
  public SimulatedConfig withDeliveryDelay(@Nullable Duration deliveryDelay) {
    return new SimulatedConfig(latency, deliveryDelay, readDelay, qrValidity, qrRefreshes, keepAliveInterval,
        openNetwork);
  }

  public SimulatedConfig withReadDelay(@Nullable Duration readDelay) {
    return new SimulatedConfig(latency, deliveryDelay, readDelay, qrValidity, qrRefreshes,
        keepAliveInterval, openNetwork);
  }

  public SimulatedConfig withOpenNetwork(boolean open) {
    return new SimulatedConfig(latency, deliveryDelay, readDelay, qrValidity, qrRefreshes,
        keepAliveInterval, open);
  }
}
