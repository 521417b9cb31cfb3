package dev.wagateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link LeaseStore} in memory: for tests, and for several gateways in one process. */
public final class InMemoryLeaseStore implements LeaseStore {
  private final Map<String, Lease> leases = new HashMap<>();

  @Override
  public synchronized Optional<Lease> acquire(String sessionId, String owner, Instant now, Duration ttl) {
    Objects.requireNonNull(owner, "owner");
    Lease held = leases.get(sessionId);
    Instant until = now.plus(ttl);
    if (held == null) {
      return Optional.of(put(new Lease(sessionId, owner, 1, until)));
    }
    if (held.owner().equals(owner)) {
      return Optional.of(put(new Lease(sessionId, owner, held.token(), until)));
    }
    if (!held.expiresAt().isAfter(now)) {
      return Optional.of(put(new Lease(sessionId, owner, held.token() + 1, until)));
    }
    return Optional.empty();
  }

  private Lease put(Lease l) {
    leases.put(l.sessionId(), l);
    return l;
  }

  @Override
  public synchronized void release(String sessionId, String owner, long token) {
    Lease held = leases.get(sessionId);
    if (held != null && held.owner().equals(owner) && held.token() == token) {
      // kept with an expiry in the past, so the next owner's token is still higher
      leases.put(sessionId, new Lease(sessionId, owner, token, Instant.MIN));
    }
  }

  @Override
  public synchronized Optional<Lease> get(String sessionId) {
    return Optional.ofNullable(leases.get(sessionId));
  }

  @Override
  public synchronized List<Lease> list() {
    List<Lease> out = new ArrayList<>(leases.values());
    out.sort(Comparator.comparing(Lease::sessionId));
    return out;
  }
}
