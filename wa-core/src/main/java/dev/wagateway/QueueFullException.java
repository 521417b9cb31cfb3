package dev.wagateway;

/** The outbound queue holds its configured maximum; the message was not accepted. */
public class QueueFullException extends WaException {
  private static final long serialVersionUID = 1L;

  public QueueFullException(int max, String how) {
    super("the outbound queue is full (" + max + " messages not yet sent)" + how
        + ": retry later, or raise queue.maxQueued");
  }
}
