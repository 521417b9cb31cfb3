package dev.wagateway.session;

import java.util.List;
import java.util.Optional;

/** The sessions of a gateway: a registry of named sessions and their lifecycle operations. */
public interface Sessions {

  /**
   * Creates a session; if {@code options.autoStart()} and the gateway runs, it starts at once.
   *
   * @throws dev.wagateway.SessionAlreadyExistsException if the id is taken
   * @throws dev.wagateway.SessionLimitExceededException past the gateway's maximum
   * @throws dev.wagateway.ValidationException for an invalid id
   */
  SessionInfo create(String id, SessionOptions options);

  default SessionInfo create(String id) {
    return create(id, SessionOptions.defaults());
  }

  /** Starts (or restarts) a session: connects with stored credentials or begins pairing. */
  SessionInfo start(String id);

  /** Disconnects without unlinking; credentials are kept. */
  SessionInfo stop(String id);

  /** Unlinks the device from the phone and wipes the credentials. */
  SessionInfo logout(String id);

  /** Stops the session and removes it and its credentials. Returns false if it did not exist. */
  boolean delete(String id);

  Optional<SessionInfo> get(String id);

  /** @throws dev.wagateway.SessionNotFoundException if absent */
  SessionInfo require(String id);

  List<SessionInfo> list();

  /**
   * The named sessions (all when {@code ids} is empty), credentials included, sealed under
   * {@code passphrase} as a {@link dev.wagateway.store.SessionBundle}: to move them to another
   * gateway or restore them into a fresh database.
   *
   * @throws dev.wagateway.SessionNotFoundException for a named session that does not exist
   */
  byte[] exportBundle(List<String> ids, char[] passphrase);

  /**
   * Adds the sessions of a bundle made by {@link #exportBundle}. All or nothing: when any of its
   * sessions exists already (or the limit would be passed) nothing is added. Auto-start sessions
   * start (and log in with their credentials) when the gateway runs.
   *
   * @throws dev.wagateway.ValidationException naming {@code passphrase} or {@code bundle}
   */
  List<SessionInfo> importBundle(byte[] bundle, char[] passphrase);
}
