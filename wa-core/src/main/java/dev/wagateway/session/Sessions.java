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
}
