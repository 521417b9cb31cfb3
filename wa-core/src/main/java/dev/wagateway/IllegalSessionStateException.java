package dev.wagateway;

import dev.wagateway.session.SessionState;

/** An operation or transition is not allowed in the session's current state. */
public class IllegalSessionStateException extends WaException {
  private static final long serialVersionUID = 1L;
  private final SessionState from;
  private final SessionState to;

  public IllegalSessionStateException(String sessionId, SessionState from, SessionState to) {
    super("session '" + sessionId + "' cannot go from " + from + " to " + to
        + "; allowed from " + from + ": " + from.allowedNext());
    this.from = from;
    this.to = to;
  }

  public IllegalSessionStateException(String sessionId, SessionState current, String operation) {
    super("session '" + sessionId + "' cannot " + operation + " while " + current);
    this.from = current;
    this.to = current;
  }

  public SessionState from() {
    return from;
  }

  public SessionState to() {
    return to;
  }
}
