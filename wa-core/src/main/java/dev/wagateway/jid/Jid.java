package dev.wagateway.jid;

import dev.wagateway.InvalidRecipientException;
import java.util.Objects;

/**
 * A WhatsApp address: {@code user[:device]@server}. Immutable; equal when all parts are equal.
 *
 * <p>{@link #toString()} masks phone numbers so that a JID written to a log leaks nothing; use
 * {@link #asString()} for the wire form.
 */
public final class Jid {
  private final String user;
  private final int device;
  private final JidServer server;

  private Jid(String user, int device, JidServer server) {
    this.user = user;
    this.device = device;
    this.server = server;
  }

  /** The account of a phone number; {@code field} names the input in errors. */
  public static Jid ofPhone(String field, String phone) {
    return new Jid(PhoneNumbers.normalize(field, phone), 0, JidServer.USER);
  }

  /** The account of a phone number. */
  public static Jid ofPhone(String phone) {
    return ofPhone("phone", phone);
  }

  /** A device of an account ({@code device > 0}), as in multi-device addressing. */
  public Jid withDevice(int device) {
    if (device < 0 || device > 99) {
      throw new IllegalArgumentException("device must be 0..99, was " + device);
    }
    return new Jid(user, device, server);
  }

  /** The account this address belongs to, without the device part. */
  public Jid toAccount() {
    return device == 0 ? this : new Jid(user, 0, server);
  }

  /** The pattern of a business-scoped user id: country code, '.', optional "ENT.", 1 to 128 letters or digits. */
  private static final java.util.regex.Pattern BSUID =
      java.util.regex.Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}");

  /**
   * A business-scoped user id as the Cloud API gives it ({@code US.13491208655302741918}).
   *
   * @param field the name of the input field, used in errors
   */
  public static Jid ofBsuid(String field, String bsuid) {
    if (bsuid == null || !BSUID.matcher(bsuid).matches()) {
      throw new InvalidRecipientException(field, "a business-scoped user id is a two-letter country code, '.',"
          + " and 1 to 128 letters or digits (e.g. US.13491208655302741918)");
    }
    return new Jid(bsuid, 0, JidServer.BSUID);
  }

  /** True for a business-scoped user id ({@link JidServer#BSUID}). */
  public boolean isBsuid() {
    return server == JidServer.BSUID;
  }

  /**
   * Parses a recipient: a full JID ({@code user[:device]@server}) or a phone number in any form
   * {@link PhoneNumbers#normalize} accepts.
   *
   * @param field the name of the input field, used in errors
   */
  public static Jid parse(String field, String input) {
    if (input == null || input.isBlank()) {
      throw new InvalidRecipientException(field, "a recipient is required");
    }
    String s = input.strip();
    int at = s.indexOf('@');
    if (at < 0) {
      return s.length() > 3 && s.charAt(2) == '.' && Character.isLetter(s.charAt(0)) ? ofBsuid(field, s)
          : ofPhone(field, s);
    }
    if (s.indexOf('@', at + 1) >= 0) {
      throw new InvalidRecipientException(field, "a JID has exactly one '@'");
    }
    String domain = s.substring(at + 1);
    JidServer server = JidServer.ofDomain(domain).orElseThrow(() ->
        new InvalidRecipientException(field, "unknown JID server '" + clip(domain)
            + "'; expected s.whatsapp.net, g.us, lid, broadcast or bsuid"));
    String local = s.substring(0, at);
    int device = 0;
    int colon = local.indexOf(':');
    if (colon >= 0) {
      if (server == JidServer.GROUP || server == JidServer.BROADCAST || server == JidServer.BSUID) {
        throw new InvalidRecipientException(field, "a " + server.domain() + " JID has no device part");
      }
      device = parseDevice(field, local.substring(colon + 1));
      local = local.substring(0, colon);
    }
    return switch (server) {
      case USER -> new Jid(userDigits(field, local), device, server);
      case LID -> new Jid(lidDigits(field, local), device, server);
      case GROUP -> new Jid(groupId(field, local), 0, server);
      case BROADCAST -> new Jid(broadcastId(field, local), 0, server);
      case BSUID -> ofBsuid(field, local);
    };
  }

  /** Parses with {@code "to"} as the field name. */
  public static Jid parse(String input) {
    return parse("to", input);
  }

  private static String userDigits(String field, String local) {
    if (local.isEmpty() || !local.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidRecipientException(field, "the user part of an s.whatsapp.net JID is the"
          + " phone number in digits, with its country code");
    }
    return PhoneNumbers.normalize(field, "+" + local);
  }

  private static String lidDigits(String field, String local) {
    if (local.isEmpty() || local.length() > 20 || !local.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidRecipientException(field, "the user part of a @lid JID is 1 to 20 digits");
    }
    return local;
  }

  private static String groupId(String field, String local) {
    // New groups are all digits; old ones are <creator phone>-<creation epoch seconds>.
    boolean ok = local.matches("[0-9]{5,30}") || local.matches("[0-9]{7,15}-[0-9]{9,11}");
    if (!ok) {
      throw new InvalidRecipientException(field, "a group id is digits, or <digits>-<digits> for old"
          + " groups");
    }
    return local;
  }

  private static String broadcastId(String field, String local) {
    if (!local.equals("status") && !local.matches("[0-9]{1,30}")) {
      throw new InvalidRecipientException(field, "a broadcast id is 'status' or digits");
    }
    return local;
  }

  private static int parseDevice(String field, String s) {
    if (s.isEmpty() || s.length() > 2 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidRecipientException(field, "the device part of a JID is a number from 0 to 99");
    }
    return Integer.parseInt(s);
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  public String user() {
    return user;
  }

  /** The device number; 0 for the primary device or a non-device address. */
  public int device() {
    return device;
  }

  public JidServer server() {
    return server;
  }

  public boolean isUser() {
    return server == JidServer.USER;
  }

  public boolean isGroup() {
    return server == JidServer.GROUP;
  }

  /** The wire form, e.g. {@code 491701234567:3@s.whatsapp.net}. Contains the full phone number. */
  public String asString() {
    return (device == 0 ? user : user + ":" + device) + "@" + server.domain();
  }

  /** The phone number as E.164 with a plus, for phone-number accounts. */
  public String phoneNumber() {
    if (server != JidServer.USER) {
      throw new IllegalStateException("a " + server.domain() + " JID has no phone number");
    }
    return "+" + user;
  }

  /**
   * The form for logs: phone numbers masked ({@code 49******4567@s.whatsapp.net}), business-scoped
   * ids too ({@code US.…2741918@bsuid}).
   */
  @Override
  public String toString() {
    String u = server == JidServer.USER ? PhoneNumbers.mask(user).substring(1)
        : server == JidServer.BSUID ? user.substring(0, 3) + "…" + user.substring(Math.max(3, user.length() - 4))
        : user;
    return (device == 0 ? u : u + ":" + device) + "@" + server.domain();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Jid j && j.device == device && j.server == server && j.user.equals(user);
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, device, server);
  }
}
