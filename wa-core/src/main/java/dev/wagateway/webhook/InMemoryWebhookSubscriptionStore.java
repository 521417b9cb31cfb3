package dev.wagateway.webhook;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Subscriptions in memory (lost on restart). */
public final class InMemoryWebhookSubscriptionStore implements WebhookSubscriptionStore {
  private final ConcurrentHashMap<String, WebhookSubscription> subs = new ConcurrentHashMap<>();

  @Override
  public void save(WebhookSubscription subscription) {
    subs.put(subscription.id(), subscription);
  }

  @Override
  public Optional<WebhookSubscription> get(String id) {
    return Optional.ofNullable(subs.get(id));
  }

  @Override
  public boolean delete(String id) {
    return subs.remove(id) != null;
  }

  @Override
  public List<WebhookSubscription> list() {
    return subs.values().stream().sorted(Comparator.comparing(WebhookSubscription::createdAt)
        .thenComparing(WebhookSubscription::id)).toList();
  }
}
