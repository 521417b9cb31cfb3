package dev.wagateway;

/** A session with this id exists already. */
public class SessionAlreadyExistsException extends WaException {
  private static final long serialVersionUID = 1L;

  public SessionAlreadyExistsException(String sessionId) {
    super("a session '" + sessionId + "' exists already: choose another id or delete it first");
  }
}
