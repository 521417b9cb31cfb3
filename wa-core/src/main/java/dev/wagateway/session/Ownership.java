package dev.wagateway.session;

import dev.wagateway.ValidationException;
import dev.wagateway.store.LeaseStore;
import java.time.Duration;
import java.util.Objects;

/**
 * How a gateway instance shares a database with others: it runs only the sessions whose lease it
 * holds in {@code leases}, renews them every third of {@code ttl}, and takes over an auto-start
 * session whose lease expired (its owner died or lost the database).
 *
 * @param instanceId this instance's name in the leases, unique among the instances
 */
public record Ownership(String instanceId, LeaseStore leases, Duration ttl) {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

  public Ownership {
    ValidationException.require(instanceId != null && instanceId.matches("[A-Za-z0-9._:-]{1,64}"), "instanceId",
        "1 to 64 letters, digits, '.', '_', ':' or '-'");
    Objects.requireNonNull(leases, "leases");
    ValidationException.require(ttl != null && ttl.compareTo(Duration.ofSeconds(1)) >= 0, "ownership.ttl",
        "at least one second");
  }
}
