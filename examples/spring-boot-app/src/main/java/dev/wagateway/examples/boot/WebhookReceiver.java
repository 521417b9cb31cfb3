package dev.wagateway.examples.boot;

import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhooks.WebhookVerificationException;
import dev.wagateway.webhooks.WebhookVerifier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A webhook receiver as an application would write one: {@code POST /webhook} checks the Standard
 * Webhooks signature against {@code app.webhook.secret} (wa-webhooks' {@link WebhookVerifier}) on
 * the raw body, answers 401 to anything unsigned or altered, and de-duplicates by event id (delivery
 * is at least once).
 */
@RestController
class WebhookReceiver {
  private final WebhookVerifier verifier;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  WebhookReceiver(@Value("${app.webhook.secret}") String secret) {
    this.verifier = WebhookVerifier.builder().secret(WebhookSecret.parse("app.webhook.secret", secret)).build();
  }

  @PostMapping("/webhook")
  ResponseEntity<Void> receive(@RequestHeader HttpHeaders headers, @RequestBody byte[] body) {
    String id;
    try {
      id = verifier.verify(headers::getFirst, body);
    } catch (WebhookVerificationException e) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
    }
    seen.add(id); // a redelivery of the same id is acknowledged again, handled once
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/webhook/received")
  Map<String, Integer> received() {
    return Map.of("events", seen.size());
  }

  Set<String> seen() {
    return seen;
  }
}
