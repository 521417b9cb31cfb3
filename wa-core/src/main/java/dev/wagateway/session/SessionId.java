package dev.wagateway.session;

import dev.wagateway.ValidationException;

/** Rules for session ids: 1 to 64 characters of letters, digits, dot, dash and underscore. */
public final class SessionId {
  private SessionId() {}

  /** Throws a {@link ValidationException} naming {@code field} unless {@code id} is valid. */
  public static String validate(String field, String id) {
    ValidationException.require(isValid(id), field,
        "a session id is 1 to 64 characters of letters, digits, '.', '-' and '_'");
    return id;
  }

  /** The same rule as {@code [A-Za-z0-9._-]{1,64}}, without a regex on the send path. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
