package dev.wagateway.session;

import dev.wagateway.ValidationException;
import java.util.regex.Pattern;

/** Rules for session ids: 1 to 64 characters of letters, digits, dot, dash and underscore. */
public final class SessionId {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private SessionId() {}

  /** Throws a {@link ValidationException} naming {@code field} unless {@code id} is valid. */
  public static String validate(String field, String id) {
    ValidationException.require(id != null && VALID.matcher(id).matches(), field,
        "a session id is 1 to 64 characters of letters, digits, '.', '-' and '_'");
    return id;
  }
}
