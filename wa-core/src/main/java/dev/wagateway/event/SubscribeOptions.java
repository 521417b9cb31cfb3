package dev.wagateway.event;

import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Options of a subscription.
 *
 * @param name shown in stats and logs
 * @param bufferCapacity for {@link Delivery#ASYNC}: events held for a slow listener before drops
 * @param filter only matching events are delivered (and buffered)
 */
public record SubscribeOptions(
    String name, Delivery delivery, int bufferCapacity, Predicate<GatewayEvent> filter) {

  public static final int DEFAULT_BUFFER_CAPACITY = 65_536;

  public SubscribeOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(filter, "filter");
    if (bufferCapacity < 1) {
      throw new IllegalArgumentException("bufferCapacity must be at least 1, was " + bufferCapacity);
    }
  }

  public static SubscribeOptions async(String name) {
    return new SubscribeOptions(name, Delivery.ASYNC, DEFAULT_BUFFER_CAPACITY, e -> true);
  }

  public static SubscribeOptions sync(String name) {
    return new SubscribeOptions(name, Delivery.SYNC, 1, e -> true);
  }

  public SubscribeOptions withBufferCapacity(int capacity) {
    return new SubscribeOptions(name, delivery, capacity, filter);
  }

  public SubscribeOptions withFilter(Predicate<GatewayEvent> filter) {
    return new SubscribeOptions(name, delivery, bufferCapacity, filter);
  }

  /** Only events whose {@link GatewayEvent#type()} is in {@code types}. */
  public SubscribeOptions withTypes(Set<String> types) {
    Set<String> copy = Set.copyOf(types);
    return withFilter(e -> copy.contains(e.type()));
  }
}
