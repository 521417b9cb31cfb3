package dev.wagateway;

/** A store could not read or write, or stored data could not be decrypted. */
public class StoreException extends WaException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
