package dev.wagateway.internal;

import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Outbound messages in memory with their status logs, by gateway id and by provider id. */
final class MessageBook {

  static final class Entry {
    final OutboundMessage message;
    final StatusLog log;
    final AtomicInteger attempts = new AtomicInteger();
    volatile @Nullable String providerId;

    Entry(OutboundMessage message, StatusLog log) {
      this.message = message;
      this.log = log;
    }

    MessageInfo info() {
      return new MessageInfo(message, log.current(), log.history(), attempts.get(), providerId);
    }
  }

  private final ConcurrentMap<String, Entry> byId = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> byProviderId = new ConcurrentHashMap<>();

  Entry add(OutboundMessage message) {
    Entry e = new Entry(message, new StatusLog(MessageStatus.QUEUED, message.createdAt(), "accepted"));
    byId.put(message.id(), e);
    return e;
  }

  Optional<Entry> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  void linkProvider(Entry e, String providerId) {
    e.providerId = providerId;
    byProviderId.put(providerId, e.message.id());
  }

  Optional<Entry> byProvider(String providerId) {
    String id = byProviderId.get(providerId);
    return id == null ? Optional.empty() : get(id);
  }

  /** Forgets messages created before {@code cutoff} that are no longer waiting or in flight. */
  int pruneBefore(Instant cutoff) {
    int[] n = {0};
    byId.values().removeIf(e -> {
      MessageStatus s = e.log.current();
      boolean done = s != MessageStatus.QUEUED && s != MessageStatus.SENDING;
      if (done && e.message.createdAt().isBefore(cutoff)) {
        if (e.providerId != null) {
          byProviderId.remove(e.providerId);
        }
        n[0]++;
        return true;
      }
      return false;
    });
    return n[0];
  }

  int size() {
    return byId.size();
  }
}
