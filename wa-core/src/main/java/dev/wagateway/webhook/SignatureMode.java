package dev.wagateway.webhook;

/** How deliveries are signed. */
public enum SignatureMode {
  /**
   * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature:
   * v1,<base64 HMAC-SHA256 of id.timestamp.body>} (one signature per configured secret).
   */
  STANDARD,
  /** Compatibility: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}. */
  HUB_SHA256
}
