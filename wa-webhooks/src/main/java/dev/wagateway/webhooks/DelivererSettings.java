package dev.wagateway.webhooks;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every HTTP deliverer takes, validated once for all of them. Builders extend it.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class DelivererSettings<B extends DelivererSettings<B>> {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_RESPONSE_CAP = 4096;

  Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  int responseCap = DEFAULT_RESPONSE_CAP;
  boolean allowPrivateNetworks;
  String userAgent = "wa-gateway-webhooks/0.1";

  DelivererSettings() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  public B connectTimeout(Duration d) {
    this.connectTimeout = positive(d, "connectTimeout");
    return self();
  }

  public B requestTimeout(Duration d) {
    this.requestTimeout = positive(d, "requestTimeout");
    return self();
  }

  /** How much of a response body is kept for the delivery log. */
  public B responseCap(int bytes) {
    if (bytes < 0 || bytes > 1 << 20) {
      throw new IllegalArgumentException("responseCap must be 0..1 MiB");
    }
    this.responseCap = bytes;
    return self();
  }

  /** Allows loopback and private targets: for tests and local development only. */
  public B allowPrivateNetworks(boolean allow) {
    this.allowPrivateNetworks = allow;
    return self();
  }

  public B userAgent(String ua) {
    this.userAgent = Objects.requireNonNull(ua, "userAgent");
    return self();
  }

  static Duration positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }
}
