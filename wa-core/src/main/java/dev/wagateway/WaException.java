package dev.wagateway;

/**
 * The root of every exception the gateway throws. Messages say what was wrong and what to do; they
 * never carry secrets or full phone numbers.
 */
public class WaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WaException(String message) {
    super(message);
  }

  public WaException(String message, Throwable cause) {
    super(message, cause);
  }
}
