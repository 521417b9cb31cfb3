package dev.wagateway.web;

import dev.wagateway.WaException;

/**
 * Input from the WhatsApp side that breaks the protocol: a malformed frame or node, a
 * certificate or signature that does not verify, a ciphertext that does not authenticate. Every
 * decoder and verifier in wa-web throws this and nothing else for bad input, so a caller can drop
 * the frame (or the connection) without guessing what else might escape.
 *
 * <p>Messages name what was wrong and never carry key material or plaintext.
 */
public class ProtocolException extends WaException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
