package dev.wagateway;

/** No session with the given id exists in this gateway. */
public class SessionNotFoundException extends WaException {
  private static final long serialVersionUID = 1L;
  private final String sessionId;

  public SessionNotFoundException(String sessionId) {
    super("no session '" + sessionId + "': create it first or check the id");
    this.sessionId = sessionId;
  }

  public String sessionId() {
    return sessionId;
  }
}
