package dev.wagateway.event;

/** How a subscription receives events; docs/events.md explains the choice. */
public enum Delivery {
  /**
   * On a thread of the event stream, through a bounded buffer per subscription. The publisher never
   * waits; when the buffer is full the newest events are dropped for this subscription only, and
   * counted ({@link SubscriptionStats#dropped()}). For metrics, UIs and logs.
   */
  ASYNC,
  /**
   * On the publishing thread, before {@code publish} returns, in publication order; never dropped.
   * For fast, durable appends (the webhook outbox). A sync listener must not block or call back
   * into the gateway; its exceptions are counted and logged.
   */
  SYNC
}
