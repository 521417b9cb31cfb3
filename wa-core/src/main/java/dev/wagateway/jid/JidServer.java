package dev.wagateway.jid;

import java.util.Optional;

/** The server part of a JID, which says what kind of address it is. */
public enum JidServer {
  /** A phone-number account: {@code 491701234567@s.whatsapp.net}. */
  USER("s.whatsapp.net"),
  /** A group: {@code 120363025246125486@g.us} or the older {@code 491701234567-1600000000@g.us}. */
  GROUP("g.us"),
  /** A linked identity, which hides the phone number: {@code 123456789012345@lid}. */
  LID("lid"),
  /** A broadcast list or status: {@code status@broadcast}. */
  BROADCAST("broadcast"),
  /**
   * A business-scoped user id (Cloud API, since 2026): a user known to one business portfolio
   * without a phone number, {@code US.13491208655302741918@bsuid} (or {@code US.ENT.…} for a parent
   * id). Only the Cloud API engine can address it.
   */
  BSUID("bsuid");

  private final String domain;

  JidServer(String domain) {
    this.domain = domain;
  }

  public String domain() {
    return domain;
  }

  public static Optional<JidServer> ofDomain(String domain) {
    for (JidServer s : values()) {
      if (s.domain.equals(domain)) {
        return Optional.of(s);
      }
    }
    // "c.us" is the legacy spelling of s.whatsapp.net used by several clients.
    return "c.us".equals(domain) ? Optional.of(USER) : Optional.empty();
  }
}
