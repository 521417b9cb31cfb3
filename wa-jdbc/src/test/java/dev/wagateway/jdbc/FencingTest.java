package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.FencedException;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.store.LeaseStore.Lease;
import dev.wagateway.store.SessionRecord;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two instances (two JdbcStores, each with its own view of the leases it was granted) on one
 * database: once B takes the session over, A, the stale owner, can neither claim (nor claim and
 * mark), nor mark a message SENDING (so its dispatcher never hands it to the engine), nor overwrite
 * the session.
 */
class FencingTest {
  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration LEASE = Duration.ofMinutes(1);

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(FencingTest.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "sqlite"})
  void aStaleOwnerCannotSendOrWriteState(String dialect) throws Exception {
    try (HikariDataSource ds = dialect.equals("postgresql") ? Databases.postgres(FencingTest.class)
        : Databases.sqlite(Files.createTempDirectory("wa-sqlite").resolve("wa.db"));
        JdbcStores a = JdbcStores.shared(ds).migrate(); JdbcStores b = JdbcStores.shared(ds)) {
      Lease first = a.leaseStore().acquire("s", "gw-a", T0, TTL).orElseThrow();
      SessionRecord rec = SessionRecord.create("s", SessionOptions.defaults(), T0);
      a.sessionStore().save(rec);
      QueueStore qa = a.queueStore();
      QueueStore qb = b.queueStore();
      OutboundMessage m1 = message("m1", "+491701111111");
      OutboundMessage m2 = message("m2", "+491702222222");
      qa.enqueue(m1, T0, Duration.ofHours(1));
      qa.enqueue(m2, T0, Duration.ofHours(1));
      assertThat(qa.claim("s", T0, 1, LEASE)).extracting(QueueStore.Claimed::id).containsExactly("fx-m1");

      // A stops renewing (paused, partitioned); its lease ends and B takes the session
      Instant later = T0.plus(TTL).plusSeconds(1);
      Lease taken = b.leaseStore().acquire("s", "gw-b", later, TTL).orElseThrow();
      assertThat(taken.token()).isGreaterThan(first.token());
      assertThat(b.leaseStore().acquire("s", "gw-a", later, TTL)).isEmpty();

      assertThatThrownBy(() -> qa.markSending("fx-m1", later)).isInstanceOf(FencedException.class)
          .hasMessageContaining("gw-a").hasMessageContaining("token " + first.token());
      assertThat(qa.get("fx-m1").orElseThrow().status()).as("nothing was written").isEqualTo(MessageStatus.QUEUED);
      assertThat(qa.get("fx-m1").orElseThrow().attempts()).isZero();
      assertThat(qa.claim("s", later, 10, LEASE)).as("the stale owner claims nothing").isEmpty();
      assertThat(qa.claimFirstSending("s", later, 10, LEASE, java.util.Set.of()))
          .as("nor claims and marks").isEmpty();
      assertThat(qa.get("fx-m2").orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
      assertThat(qa.get("fx-m2").orElseThrow().attempts()).isZero();
      assertThatThrownBy(() -> a.sessionStore().save(rec.withCredentials(null, new byte[] {1, 2, 3}, later)))
          .isInstanceOf(FencedException.class);
      assertThat(b.sessionStore().load("s").orElseThrow().hasCredentials()).isFalse();

      // the new owner frees what A had claimed and sends both, in order
      assertThat(qb.requeueSessionLeases("s", later)).isEqualTo(1);
      var claimed = qb.claimFirstSending("s", later, 10, LEASE, java.util.Set.of());
      assertThat(claimed).extracting(QueueStore.Claimed::id).containsExactly("fx-m1", "fx-m2");
      assertThat(claimed).extracting(QueueStore.Claimed::sending).containsExactly(true, false);
      assertThat(qb.get("fx-m1").orElseThrow().status()).isEqualTo(MessageStatus.SENDING);
      assertThat(qb.markSent("fx-m1", "P1", later)).isPresent();
      assertThat(qb.markSending("fx-m2", later)).isPresent();
      b.sessionStore().save(rec.withCredentials(null, new byte[] {4, 5, 6}, later));
      assertThat(a.sessionStore().load("s").orElseThrow().credentials()).containsExactly(4, 5, 6);
    }
  }

  static OutboundMessage message(String id, String to) {
    return new OutboundMessage("fx-" + id, MessageRequest.builder().session("s").to(to).text("hi").build(), T0);
  }
}
