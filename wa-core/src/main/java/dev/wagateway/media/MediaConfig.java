package dev.wagateway.media;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the gateway keeps media and for how long: inbound media are stored as they arrive (the
 * provider's links expire within minutes) and their events carry a gateway media id; sends of
 * stored media read them from here.
 *
 * @param retention how long stored media are kept (an hourly job deletes what expired)
 * @param fetchTimeout how long the download of one inbound media may take before its event goes
 *     out with the provider's reference instead
 * @param links signed links for webhook payloads, if the host offers them
 * @param fetchUrls media given by URL are fetched by the gateway at send time (behind the SSRF
 *     guard, limits and type checked, stored), not handed to the engine as links
 * @param allowPrivateNetworks let media URLs point at private and loopback addresses
 */
public record MediaConfig(MediaStore store, Duration retention, Duration fetchTimeout,
    @org.jspecify.annotations.Nullable MediaLinks links, boolean fetchUrls, boolean allowPrivateNetworks) {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(30);

  public MediaConfig {
    Objects.requireNonNull(store, "store");
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("media retention must be positive");
    }
    if (fetchTimeout == null || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
      throw new IllegalArgumentException("the media fetch timeout must be positive");
    }
  }

  public static MediaConfig of(MediaStore store) {
    return new MediaConfig(store, DEFAULT_RETENTION, DEFAULT_FETCH_TIMEOUT, null, true, false);
  }

  public MediaConfig withRetention(Duration retention) {
    return new MediaConfig(store, retention, fetchTimeout, links, fetchUrls, allowPrivateNetworks);
  }

  public MediaConfig withFetchTimeout(Duration timeout) {
    return new MediaConfig(store, retention, timeout, links, fetchUrls, allowPrivateNetworks);
  }

  /** Webhook payloads carry a link from {@code links} for each stored media. */
  public MediaConfig withLinks(MediaLinks links) {
    return new MediaConfig(store, retention, fetchTimeout, java.util.Objects.requireNonNull(links, "links"), fetchUrls,
        allowPrivateNetworks);
  }

  /** Whether media URLs are fetched by the gateway (the default) or passed to the engine as they are. */
  public MediaConfig withUrlFetching(boolean fetch) {
    return new MediaConfig(store, retention, fetchTimeout, links, fetch, allowPrivateNetworks);
  }

  /** Let media URLs reach private and loopback addresses (local development). */
  public MediaConfig withPrivateNetworksAllowed(boolean allow) {
    return new MediaConfig(store, retention, fetchTimeout, links, fetchUrls, allow);
  }
}
