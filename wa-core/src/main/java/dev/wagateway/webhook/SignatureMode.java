package dev.wagateway.webhook;

/** How deliveries are signed. */
public enum SignatureMode {
  /**
   * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature:
   * v1,<base64 HMAC-SHA256 of id.timestamp.body>} (one signature per configured secret).
   */
  STANDARD,
  /** Compatibility: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}. */
  HUB_SHA256;

  /**
   * Reads a mode as configuration and APIs write it: {@code standard}, or {@code hub} (also
   * {@code hub_sha256}, {@code x-hub-signature-256}), in any case.
   *
   * @throws dev.wagateway.ValidationException naming {@code field} for anything else
   */
  public static SignatureMode parse(String field, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "standard" -> STANDARD;
      case "hub", "hub_sha256", "x-hub-signature-256" -> HUB_SHA256;
      default -> throw new dev.wagateway.ValidationException(field, "one of standard, hub; was '" + value + "'");
    };
  }
}
