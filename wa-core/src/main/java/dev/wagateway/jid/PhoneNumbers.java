package dev.wagateway.jid;

import dev.wagateway.InvalidRecipientException;

/**
 * E.164 phone numbers as WhatsApp uses them: country code and subscriber number, digits only.
 *
 * <p>Accepted input: an international number with a leading {@code +} or {@code 00}, or digits that
 * already start with the country code; spaces, dashes, dots and parentheses are ignored. A national
 * number with a trunk prefix ({@code 0170 1234567}) is refused, because the country is unknown.
 */
public final class PhoneNumbers {
  /** E.164 allows at most 15 digits. */
  public static final int MAX_DIGITS = 15;
  /** The shortest numbers in use (country code plus subscriber) have 7 digits. */
  public static final int MIN_DIGITS = 7;

  private PhoneNumbers() {}

  /**
   * Normalises {@code input} to E.164 digits without the plus, e.g. {@code "+49 170 123-4567"} →
   * {@code "491701234567"}.
   *
   * @param field the name of the field the number came from, used in the error
   * @throws InvalidRecipientException naming {@code field} when the number is not valid
   */
  public static String normalize(String field, String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidRecipientException(field, "a phone number is required");
    }
    String s = input.strip();
    boolean international = false;
    if (s.startsWith("+")) {
      s = s.substring(1);
      international = true;
    }
    StringBuilder digits = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00a0') {
        continue;
      } else {
        throw new InvalidRecipientException(field,
            "a phone number may hold only digits, spaces, dashes, dots, parentheses and a leading +"
                + " (found '" + printable(c) + "' at position " + (i + (international ? 1 : 0)) + ")");
      }
    }
    String d = digits.toString();
    if (!international && d.startsWith("00")) {
      d = d.substring(2);
      international = true;
    }
    if (d.isEmpty()) {
      throw new InvalidRecipientException(field, "a phone number needs digits");
    }
    if (d.charAt(0) == '0') {
      throw new InvalidRecipientException(field, international
          ? "a country code never starts with 0"
          : "national numbers are not accepted: write the number with its country code,"
              + " e.g. +49 170 1234567");
    }
    if (d.length() < MIN_DIGITS || d.length() > MAX_DIGITS) {
      throw new InvalidRecipientException(field, "an international number has "
          + MIN_DIGITS + " to " + MAX_DIGITS + " digits including the country code, this one has "
          + d.length());
    }
    return d;
  }

  /** True when {@code input} would normalise without error. */
  public static boolean isValid(String input) {
    try {
      normalize("phone", input);
      return true;
    } catch (InvalidRecipientException e) {
      return false;
    }
  }

  /**
   * Masks a digit string for logs: {@code 491701234567} → {@code +49******4567}. Numbers too short
   * to keep both ends show only their last two digits.
   */
  public static String mask(String digits) {
    int n = digits.length();
    if (n <= 6) {
      return "+" + "*".repeat(Math.max(0, n - 2)) + digits.substring(Math.max(0, n - 2));
    }
    return "+" + digits.substring(0, 2) + "*".repeat(n - 6) + digits.substring(n - 4);
  }

  private static String printable(char c) {
    return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
