package dev.wagateway;

/**
 * A write refused because this gateway instance no longer holds the session's lease (another
 * instance took the session over): the fencing that keeps a stale owner from sending.
 */
public class FencedException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String sessionId;

  public FencedException(String sessionId, String message) {
    super(message);
    this.sessionId = sessionId;
  }

  public String sessionId() {
    return sessionId;
  }
}
