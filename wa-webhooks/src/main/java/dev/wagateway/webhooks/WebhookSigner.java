package dev.wagateway.webhooks;

import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Computes webhook signature headers. Stateless and thread-safe. */
public final class WebhookSigner {
  public static final String WEBHOOK_ID = "webhook-id";
  public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
  public static final String WEBHOOK_SIGNATURE = "webhook-signature";
  public static final String HUB_SIGNATURE = "X-Hub-Signature-256";

  private WebhookSigner() {}

  /**
   * The Standard Webhooks signature of one secret: {@code v1,<base64 HMAC-SHA256(key,
   * id + "." + timestamp + "." + body)>}.
   */
  public static String standardSignature(WebhookSecret secret, String id, long timestampSeconds, byte[] body) {
    Mac mac = mac(secret);
    mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  /** The {@code X-Hub-Signature-256} value: {@code sha256=<hex HMAC-SHA256(key, body)>}. */
  public static String hubSignature(WebhookSecret secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(mac(secret).doFinal(body));
  }

  /**
   * The headers for one attempt. STANDARD sends one signature per secret, space-separated, so a
   * receiver holding either the old or the new secret accepts it while keys rotate.
   */
  public static Map<String, String> headers(SignatureMode mode, List<WebhookSecret> secrets, String id,
      long timestampSeconds, byte[] body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (mode == SignatureMode.HUB_SHA256) {
      h.put(HUB_SIGNATURE, hubSignature(secrets.get(0), body));
      h.put(WEBHOOK_ID, id);
      return h;
    }
    StringBuilder sigs = new StringBuilder();
    for (WebhookSecret s : secrets) {
      if (sigs.length() > 0) {
        sigs.append(' ');
      }
      sigs.append(standardSignature(s, id, timestampSeconds, body));
    }
    h.put(WEBHOOK_ID, id);
    h.put(WEBHOOK_TIMESTAMP, Long.toString(timestampSeconds));
    h.put(WEBHOOK_SIGNATURE, sigs.toString());
    return h;
  }

  static Mac mac(WebhookSecret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.keyBytes(), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
