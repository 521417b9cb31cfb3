package dev.wagateway.store;

import java.time.Instant;

/**
 * Ids of inbound notifications already processed, kept until they expire, so that a provider's
 * redelivery is recognised: Meta retries a webhook it thinks failed for up to seven days, across
 * restarts of the gateway, so the JDBC implementation is the one to use in production. Keys are
 * opaque strings of at most {@link #MAX_KEY_LENGTH} characters (e.g. {@code msg:<wamid>}).
 *
 * <p>Use it as check, process, remember: a crash between processing and remembering gives one
 * duplicate with the same id, never a loss.
 */
public interface SeenIds {
  int MAX_KEY_LENGTH = 300;

  /** True when {@code key} was remembered and has not expired by {@code now}. */
  boolean contains(String key, Instant now);

  /** Remembers {@code key} until {@code expiresAt} (a later expiry replaces an earlier one). */
  void remember(String key, Instant expiresAt);

  /** Forgets the keys that expired by {@code now}; returns how many. */
  int purgeExpired(Instant now);

  /** Checks a key's shape; returns it. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("a seen-id key is 1 to " + MAX_KEY_LENGTH + " characters");
    }
    return key;
  }
}
