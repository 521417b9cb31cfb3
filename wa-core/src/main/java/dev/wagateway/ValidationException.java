package dev.wagateway;

/** Input from outside was rejected; {@link #field()} names the field at fault. */
public class ValidationException extends WaException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String reason;

  public ValidationException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
    this.reason = message;
  }

  /** The field at fault, as a path such as {@code content.caption} or {@code to}. */
  public String field() {
    return field;
  }

  /** What is wrong with the field, without its name; for naming it as its caller knows it. */
  public String reason() {
    return reason;
  }

  /** Throws a {@link ValidationException} for {@code field} unless {@code condition} holds. */
  public static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new ValidationException(field, message);
    }
  }
}
