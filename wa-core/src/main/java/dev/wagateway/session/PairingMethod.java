package dev.wagateway.session;

import dev.wagateway.jid.PhoneNumbers;

/** How a session that has no credentials links to a phone. */
public sealed interface PairingMethod {

  /** Show QR codes (as events) for the phone to scan; codes refresh until one is scanned. */
  static PairingMethod qr() {
    return Qr.INSTANCE;
  }

  /** Ask for an 8-character code that the user types on the phone with this number. */
  static PairingMethod phoneCode(String phoneNumber) {
    return new PhoneCode(PhoneNumbers.normalize("pairing.phoneNumber", phoneNumber));
  }

  /** QR pairing. */
  final class Qr implements PairingMethod {
    static final Qr INSTANCE = new Qr();

    private Qr() {}

    @Override
    public String toString() {
      return "QR";
    }
  }

  /** Pairing-code pairing; {@code phoneNumber} is E.164 digits. */
  record PhoneCode(String phoneNumber) implements PairingMethod {
    @Override
    public String toString() {
      return "PhoneCode[" + PhoneNumbers.mask(phoneNumber) + "]";
    }
  }
}
