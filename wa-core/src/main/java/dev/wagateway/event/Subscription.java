package dev.wagateway.event;

/** A listener's registration; closing it stops delivery (buffered events are discarded). */
public interface Subscription extends AutoCloseable {
  String name();

  SubscriptionStats stats();

  @Override
  void close();
}
