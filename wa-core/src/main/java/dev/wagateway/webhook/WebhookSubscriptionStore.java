package dev.wagateway.webhook;

import java.util.List;
import java.util.Optional;

/** Where subscriptions (with their secrets) are kept. Thread-safe. */
public interface WebhookSubscriptionStore {
  void save(WebhookSubscription subscription);

  Optional<WebhookSubscription> get(String id);

  boolean delete(String id);

  List<WebhookSubscription> list();
}
