package dev.wagateway.store;

import dev.wagateway.jid.Jid;
import dev.wagateway.session.SessionOptions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What is stored for a session. {@code credentials} is the engine's opaque secret (keys, tokens);
 * it never appears in {@link #toString()}, and {@link EncryptingSessionStore} encrypts it at rest.
 */
public final class SessionRecord {
  private final String id;
  private final SessionOptions options;
  private final @Nullable Jid self;
  private final byte @Nullable [] credentials;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final @Nullable Instant pairedAt;

  public SessionRecord(String id, SessionOptions options, @Nullable Jid self,
      byte @Nullable [] credentials, Instant createdAt, Instant updatedAt) {
    this(id, options, self, credentials, createdAt, updatedAt, credentials == null ? null : updatedAt);
  }

  public SessionRecord(String id, SessionOptions options, @Nullable Jid self,
      byte @Nullable [] credentials, Instant createdAt, Instant updatedAt, @Nullable Instant pairedAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.options = Objects.requireNonNull(options, "options");
    this.self = self;
    this.credentials = credentials == null ? null : credentials.clone();
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    this.pairedAt = credentials == null ? null : pairedAt;
  }

  public static SessionRecord create(String id, SessionOptions options, Instant now) {
    return new SessionRecord(id, options, null, null, now, now);
  }

  public String id() {
    return id;
  }

  public SessionOptions options() {
    return options;
  }

  public @Nullable Jid self() {
    return self;
  }

  /** A copy of the credentials, or null when the session is not linked. */
  public byte @Nullable [] credentials() {
    return credentials == null ? null : credentials.clone();
  }

  public boolean hasCredentials() {
    return credentials != null;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** When the current credentials were obtained (warm-up pacing counts days from it). */
  public @Nullable Instant pairedAt() {
    return pairedAt;
  }

  /** The record after a new pairing: linked to {@code self}, paired now. */
  public SessionRecord paired(Jid self, byte[] credentials, Instant now) {
    return new SessionRecord(id, options, self, credentials, createdAt, now, now);
  }

  /** The same record with its credentials replaced (e.g. encrypted), pairing time kept. */
  public SessionRecord withCredentials(@Nullable Jid self, byte @Nullable [] credentials, Instant now) {
    return new SessionRecord(id, options, self, credentials, createdAt, now,
        pairedAt != null ? pairedAt : now);
  }

  /** The same record with the credentials wiped (after a logout). */
  public SessionRecord withoutCredentials(Instant now) {
    return new SessionRecord(id, options, null, null, createdAt, now, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionRecord r && r.id.equals(id) && r.options.equals(options)
        && Objects.equals(r.self, self) && Arrays.equals(r.credentials, credentials)
        && r.createdAt.equals(createdAt) && r.updatedAt.equals(updatedAt)
        && Objects.equals(r.pairedAt, pairedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, self, createdAt, updatedAt) * 31 + Arrays.hashCode(credentials);
  }

  @Override
  public String toString() {
    return "SessionRecord[id=" + id + ", self=" + self + ", credentials="
        + (credentials == null ? "none" : "<redacted " + credentials.length + " bytes>")
        + ", updatedAt=" + updatedAt + "]";
  }
}
