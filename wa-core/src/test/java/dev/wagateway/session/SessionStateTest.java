package dev.wagateway.session;

import static dev.wagateway.session.SessionState.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.IllegalSessionStateException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table, checked pair by pair against the table in docs/architecture.md. */
class SessionStateTest {

  static final Map<SessionState, Set<SessionState>> EXPECTED = Map.ofEntries(
      Map.entry(CREATED, EnumSet.of(STARTING, STOPPED)),
      Map.entry(STARTING, EnumSet.of(PAIRING, CONNECTING, FAILED, STOPPED)),
      Map.entry(PAIRING, EnumSet.of(CONNECTING, RECONNECTING, FAILED, STOPPED)),
      Map.entry(CONNECTING, EnumSet.of(CONNECTED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED)),
      Map.entry(CONNECTED, EnumSet.of(DEGRADED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED)),
      Map.entry(DEGRADED, EnumSet.of(CONNECTED, RECONNECTING, LOGGED_OUT, RESTRICTED, FAILED, STOPPED)),
      Map.entry(RECONNECTING, EnumSet.of(CONNECTING, PAIRING, FAILED, STOPPED, LOGGED_OUT)),
      Map.entry(LOGGED_OUT, EnumSet.of(STARTING, STOPPED)),
      Map.entry(RESTRICTED, EnumSet.of(STARTING, STOPPED, LOGGED_OUT)),
      Map.entry(FAILED, EnumSet.of(STARTING, STOPPED, LOGGED_OUT)),
      Map.entry(STOPPED, EnumSet.of(STARTING, LOGGED_OUT)));

  @Test
  void everyPairMatchesTheTable() {
    assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(values());
    int legal = 0;
    int illegal = 0;
    for (SessionState from : values()) {
      for (SessionState to : values()) {
        boolean expected = EXPECTED.get(from).contains(to);
        assertThat(from.canTransitionTo(to)).as("%s -> %s", from, to).isEqualTo(expected);
        if (expected) {
          legal++;
        } else {
          illegal++;
          IllegalSessionStateException e = new IllegalSessionStateException("s1", from, to);
          assertThat(e.getMessage()).contains("'s1'").contains(from + " to " + to)
              .contains("allowed from " + from);
        }
      }
    }
    assertThat(legal + illegal).isEqualTo(121);
    assertThat(legal).isEqualTo(EXPECTED.values().stream().mapToInt(Set::size).sum());
  }

  @Test
  void noStateTransitionsToItself() {
    for (SessionState s : values()) {
      assertThat(s.canTransitionTo(s)).as("%s -> itself", s).isFalse();
    }
  }

  @Test
  void everyStateIsReachableFromCreated() {
    Set<SessionState> seen = EnumSet.of(CREATED);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (SessionState s : EnumSet.copyOf(seen)) {
        grew |= seen.addAll(s.allowedNext());
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(values());
  }

  @Test
  void onlyConnectedCanSend() {
    assertThat(EnumSet.allOf(SessionState.class).stream().filter(SessionState::canSend))
        .containsExactly(CONNECTED);
  }
}
