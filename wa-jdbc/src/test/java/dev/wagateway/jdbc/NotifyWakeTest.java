package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY: a message accepted by one instance wakes the owner of its session at once. The
 * leases last a minute, so the owner's renewal (every 20 s) cannot be what sends it within 5 s.
 */
class NotifyWakeTest {
  static final Duration TTL = Duration.ofMinutes(1);

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(NotifyWakeTest.class);
  }

  WaGateway gateway(JdbcStores stores, TaskScheduler scheduler, SimulatedNetwork network, String id) {
    return WaGateway.builder().scheduler(scheduler).engine(network.engine()).sessionStore(stores.sessionStore())
        .queueStore(stores.queueStore()).webhookOutbox(stores.webhookOutbox())
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off())).ownership(id, stores.leaseStore(), TTL)
        .shutdownTimeout(Duration.ZERO).build();
  }

  @Test
  void aMessageAcceptedElsewhereWakesTheOwnerAtOnce() throws Exception {
    Databases.postgres(NotifyWakeTest.class).close();
    String schema = "wa_" + NotifyWakeTest.class.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    try (TaskScheduler time = TaskScheduler.system("wa-notify-test", 2);
        HikariDataSource ds1 = Databases.postgresPool(schema); HikariDataSource ds2 = Databases.postgresPool(schema);
        JdbcStores s1 = JdbcStores.shared(ds1).migrate(); JdbcStores s2 = JdbcStores.shared(ds2)) {
      SimulatedNetwork network = new SimulatedNetwork(time, SimulatedConfig.instant());
      try (WaGateway owner = gateway(s1, time, network, "gw-1")) {
        owner.start();
        owner.sessions().create("s");
        await().atMost(Duration.ofSeconds(10)).until(() -> network.currentQr("s") != null);
        network.scan(network.currentQr("s"), "+491701234567");
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.sessions().require("s").state() == SessionState.CONNECTED);
        try (WaGateway other = gateway(s2, time, network, "gw-2")) {
          other.start(); // knows "s" from the store, does not run it
          for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            OutboundMessage m = other.send(MessageRequest.builder().session("s").to("+4915112345" + i).text("hi").build());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                network.sentMessages().stream().anyMatch(x -> x.gatewayMessageId().equals(m.id())));
            System.out.printf("notify wake: accepted by gw-2, sent by gw-1 after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
          }
          assertThat(other.sessions().require("s").state()).isNotEqualTo(SessionState.CONNECTED);
        }
      }
    }
  }
}
