package dev.wagateway;

/**
 * A recipient (phone number or JID) is not valid. Thrown at the call site, never as a queued message
 * that fails later. The message masks the number.
 */
public class InvalidRecipientException extends ValidationException {
  private static final long serialVersionUID = 1L;

  public InvalidRecipientException(String field, String message) {
    super(field, message);
  }
}
