package dev.wagateway.event;

/**
 * Counters of one subscription.
 *
 * @param delivered events handed to the listener (including those it threw on)
 * @param dropped events not delivered because the buffer was full
 * @param failed deliveries where the listener threw
 * @param pending events buffered, not yet delivered
 */
public record SubscriptionStats(
    String name, Delivery delivery, long delivered, long dropped, long failed, int pending) {}
