package dev.wagateway.event;

import java.util.List;

/**
 * The gateway's event stream. Listeners are isolated: a slow or throwing listener never blocks the
 * publisher nor costs another listener an event.
 */
public interface EventStream {

  /** Subscribes asynchronously with the default buffer. */
  default Subscription subscribe(String name, EventListener listener) {
    return subscribe(listener, SubscribeOptions.async(name));
  }

  Subscription subscribe(EventListener listener, SubscribeOptions options);

  /** Counters of every open subscription. */
  List<SubscriptionStats> stats();
}
