package dev.wagateway;

/** Creating a session would exceed the gateway's configured maximum. */
public class SessionLimitExceededException extends WaException {
  private static final long serialVersionUID = 1L;

  public SessionLimitExceededException(int max) {
    super("the gateway already holds its maximum of " + max
        + " sessions: delete one or raise maxSessions");
  }
}
