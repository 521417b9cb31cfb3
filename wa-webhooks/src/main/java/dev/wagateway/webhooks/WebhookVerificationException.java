package dev.wagateway.webhooks;

import dev.wagateway.WaException;

/** A received webhook failed verification; the message says why (never which secret). */
public class WebhookVerificationException extends WaException {
  private static final long serialVersionUID = 1L;

  public WebhookVerificationException(String message) {
    super(message);
  }
}
