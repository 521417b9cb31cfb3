package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemorySeenIdsTest extends SeenIdsContract {
  @Override
  protected SeenIds createSeenIds() {
    return new InMemorySeenIds();
  }

  @Test
  void pastItsBoundTheOldestKeysAreForgottenFirst() {
    InMemorySeenIds small = new InMemorySeenIds(3);
    for (String k : new String[] {"a", "b", "c", "d"}) {
      small.remember(k, T0.plusSeconds(60));
    }
    assertThat(small.size()).isEqualTo(3);
    assertThat(small.contains("a", T0)).isFalse();
    assertThat(small.contains("d", T0)).isTrue();
  }
}
