package dev.wagateway.web;

import dev.wagateway.ValidationException;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.noise.CertificateChain;
import dev.wagateway.web.pairing.DeviceConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link WebEngine} connects. Immutable; {@link #defaults()} talks to WhatsApp itself.
 *
 * @param url the chat WebSocket ({@link #DEFAULT_URL}); tests point it at the mock server
 * @param origin the Origin header WhatsApp expects from a browser
 * @param rootKey the Noise certificate root ({@link CertificateChain#WHATSAPP_ROOT_KEY}); tests
 *     inject the mock server's test root
 * @param device what the linked device claims to be (version, browser, locale)
 * @param connectTimeout from opening the socket to the end of the Noise handshake
 * @param keepAliveInterval how often a ping iq goes out on an idle connection
 * @param keepAliveTimeout how long a ping may go unanswered before the connection counts as lost
 * @param iqTimeout how long any other iq may wait for its answer
 * @param preKeyBatch one-time pre-keys uploaded at first login and at each refill
 * @param minPreKeys refill when the server reports fewer than this many
 * @param signedPreKeyRotation a signed pre-key older than this is replaced at the next login (the
 *     previous one is kept, for pre-key messages from peers that fetched it)
 */
public record WebEngineConfig(URI url, String origin, byte[] rootKey, DeviceConfig device,
    Duration connectTimeout, Duration keepAliveInterval, Duration keepAliveTimeout, Duration iqTimeout,
    int preKeyBatch, int minPreKeys, Duration signedPreKeyRotation, KeySource keySource, Clock clock) {

  public static final URI DEFAULT_URL = URI.create("wss://web.whatsapp.com/ws/chat");
  public static final String DEFAULT_ORIGIN = "https://web.whatsapp.com";
  public static final DeviceConfig DEFAULT_DEVICE = new DeviceConfig(List.of(2, 3000, 1023223821),
      "Ubuntu", "Chrome", "22.04.4", "US", "en");

  public WebEngineConfig {
    Objects.requireNonNull(url, "url");
    if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
      throw new ValidationException("url", "a ws:// or wss:// URL, got " + url);
    }
    Objects.requireNonNull(origin, "origin");
    if (rootKey == null || rootKey.length != 32) {
      throw new ValidationException("rootKey", "32 bytes");
    }
    rootKey = rootKey.clone();
    Objects.requireNonNull(device, "device");
    positive(connectTimeout, "connectTimeout");
    positive(keepAliveInterval, "keepAliveInterval");
    positive(keepAliveTimeout, "keepAliveTimeout");
    positive(iqTimeout, "iqTimeout");
    if (preKeyBatch < 5 || preKeyBatch > 1000) {
      throw new ValidationException("preKeyBatch", "5..1000, got " + preKeyBatch);
    }
    if (minPreKeys < 1 || minPreKeys >= preKeyBatch) {
      throw new ValidationException("minPreKeys", "1.." + (preKeyBatch - 1) + ", got " + minPreKeys);
    }
    positive(signedPreKeyRotation, "signedPreKeyRotation");
    Objects.requireNonNull(keySource, "keySource");
    Objects.requireNonNull(clock, "clock");
  }

  public static WebEngineConfig defaults() {
    return new WebEngineConfig(DEFAULT_URL, DEFAULT_ORIGIN, CertificateChain.WHATSAPP_ROOT_KEY,
        DEFAULT_DEVICE, Duration.ofSeconds(20), Duration.ofSeconds(25), Duration.ofSeconds(15),
        Duration.ofSeconds(30), 30, 5, Duration.ofDays(7), KeySource.secure(), Clock.systemUTC());
  }

  @Override
  public byte[] rootKey() {
    return rootKey.clone();
  }

  public WebEngineConfig withUrl(URI value) {
    return new WebEngineConfig(value, origin, rootKey, device, connectTimeout, keepAliveInterval,
        keepAliveTimeout, iqTimeout, preKeyBatch, minPreKeys, signedPreKeyRotation, keySource, clock);
  }

  public WebEngineConfig withRootKey(byte[] value) {
    return new WebEngineConfig(url, origin, value, device, connectTimeout, keepAliveInterval,
        keepAliveTimeout, iqTimeout, preKeyBatch, minPreKeys, signedPreKeyRotation, keySource, clock);
  }

  public WebEngineConfig withKeepAlive(Duration interval, Duration timeout) {
    return new WebEngineConfig(url, origin, rootKey, device, connectTimeout, interval, timeout,
        iqTimeout, preKeyBatch, minPreKeys, signedPreKeyRotation, keySource, clock);
  }

  public WebEngineConfig withDevice(DeviceConfig value) {
    return new WebEngineConfig(url, origin, rootKey, value, connectTimeout, keepAliveInterval,
        keepAliveTimeout, iqTimeout, preKeyBatch, minPreKeys, signedPreKeyRotation, keySource, clock);
  }

  public WebEngineConfig withSignedPreKeyRotation(Duration value) {
    return new WebEngineConfig(url, origin, rootKey, device, connectTimeout, keepAliveInterval,
        keepAliveTimeout, iqTimeout, preKeyBatch, minPreKeys, value, keySource, clock);
  }

  public WebEngineConfig withClock(Clock value) {
    return new WebEngineConfig(url, origin, rootKey, device, connectTimeout, keepAliveInterval,
        keepAliveTimeout, iqTimeout, preKeyBatch, minPreKeys, signedPreKeyRotation, keySource, value);
  }

  private static void positive(Duration d, String field) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new ValidationException(field, "a positive duration, got " + d);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebEngineConfig c && url.equals(c.url) && origin.equals(c.origin)
        && java.util.Arrays.equals(rootKey, c.rootKey) && device.equals(c.device)
        && connectTimeout.equals(c.connectTimeout) && keepAliveInterval.equals(c.keepAliveInterval)
        && keepAliveTimeout.equals(c.keepAliveTimeout) && iqTimeout.equals(c.iqTimeout)
        && preKeyBatch == c.preKeyBatch && minPreKeys == c.minPreKeys;
  }

  @Override
  public int hashCode() {
    return url.hashCode() * 31 + device.hashCode();
  }

  @Override
  public String toString() {
    return "WebEngineConfig[url=" + url + ", device=" + device + ", keepAlive=" + keepAliveInterval + "]";
  }
}
