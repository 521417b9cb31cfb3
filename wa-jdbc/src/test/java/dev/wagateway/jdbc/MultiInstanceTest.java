package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.store.LeaseStore;
import dev.wagateway.time.TaskScheduler;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three gateway instances on one PostgreSQL schema share six sessions through leases. 50,000
 * messages are accepted; mid-run one instance dies abruptly (its database connections and threads
 * gone, its leases left to expire). Its sessions are taken over within the lease time and every
 * message is delivered exactly once on the engine side (a message the dead instance had handed to
 * the engine and is sent again by the new owner is recognised by its id, as WhatsApp Web does).
 */
class MultiInstanceTest {
  static final int MESSAGES = 50_000;
  static final Duration TTL = Duration.ofSeconds(3);
  static final List<String> SESSIONS = List.of("s1", "s2", "s3", "s4", "s5", "s6");

  record Instance(String id, HikariDataSource ds, JdbcStores stores, TaskScheduler scheduler, WaGateway gateway) {}

  @AfterAll
  static void dropSchema() {
    Databases.dropSchema(MultiInstanceTest.class);
  }

  @Test
  void threeInstancesSendEachMessageOnceAndTakeOverADeadOnesSessions() throws Exception {
    Databases.postgres(MultiInstanceTest.class).close(); // a fresh schema (or the skip)
    String schema = "wa_" + MultiInstanceTest.class.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    TaskScheduler networkTime = TaskScheduler.system("wa-network", 2);
    SimulatedNetwork network = new SimulatedNetwork(networkTime, SimulatedConfig.instant());
    network.rememberDevices("multi-instance-test-secret-01".getBytes(StandardCharsets.US_ASCII));
    network.deduplicateByMessageId(true);
    List<Instance> instances = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        HikariDataSource ds = Databases.postgresPool(schema);
        JdbcStores stores = JdbcStores.shared(ds).migrate();
        TaskScheduler scheduler = TaskScheduler.system("wa-gw" + i, 2);
        WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine())
            .sessionStore(stores.sessionStore()).queueStore(stores.queueStore())
            .webhookOutbox(stores.webhookOutbox())
            .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()))
            .ownership("gw" + i, stores.leaseStore(), TTL).sendTimeout(Duration.ofSeconds(5))
            .shutdownTimeout(Duration.ZERO).build();
        gw.start();
        instances.add(new Instance("gw" + i, ds, stores, scheduler, gw));
      }
      // two sessions created on each instance, which owns them; they wait for their QR scan
      for (int i = 0; i < SESSIONS.size(); i++) {
        String s = SESSIONS.get(i);
        instances.get(i / 2).gateway().sessions().create(s);
        await().atMost(Duration.ofSeconds(10)).until(() -> network.currentQr(s) != null);
      }
      LeaseStore leases = instances.get(0).stores().leaseStore();
      Map<String, String> ownerBefore = owners(leases);
      assertThat(ownerBefore.values()).containsOnly("gw1", "gw2", "gw3");

      // 50,000 messages, each accepted by the instance that owns its session
      Map<String, WaGateway> byId = instances.stream().collect(Collectors.toMap(Instance::id, Instance::gateway));
      ExecutorService producers = Executors.newFixedThreadPool(3);
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        int self = p;
        fs.add(producers.submit(() -> {
          for (int n = self; n < MESSAGES; n += 3) {
            String s = SESSIONS.get(n % SESSIONS.size());
            byId.get(ownerBefore.get(s)).send(MessageRequest.builder().session(s)
                .to("+4915" + String.format("%08d", n % 2_000)).text("m" + n).build());
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(10, TimeUnit.MINUTES);
      }
      producers.shutdown();
      assertThat(count(instances.get(0).ds(), "SELECT COUNT(*) FROM wa_message")).isEqualTo(MESSAGES);

      // now the phones scan: the sessions connect and their owners send
      for (int i = 0; i < SESSIONS.size(); i++) {
        String s = SESSIONS.get(i);
        WaGateway gw = instances.get(i / 2).gateway();
        network.scan(network.currentQr(s), "+4917000000" + (i + 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.sessions().require(s).state() == SessionState.CONNECTED);
      }

      // gw2 dies mid-run: its connections to the database and its threads go at once
      await().atMost(Duration.ofMinutes(5)).until(() -> network.sendCount() >= MESSAGES / 3);
      Instance dead = instances.get(1);
      long deathAt = System.nanoTime();
      dead.ds().close();
      dead.scheduler().close();
      List<String> itsSessions = ownerBefore.entrySet().stream().filter(e -> e.getValue().equals("gw2"))
          .map(Map.Entry::getKey).toList();

      await().atMost(TTL.multipliedBy(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
        Map<String, String> now = owners(leases);
        return itsSessions.stream().noneMatch(s -> "gw2".equals(now.get(s)));
      });
      double takeoverSeconds = (System.nanoTime() - deathAt) / 1e9;

      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
          .until(() -> network.sendCount() >= MESSAGES);
      Map<String, Long> perMessage = network.sentMessages().stream()
          .collect(Collectors.groupingBy(SimulatedNetwork.SentMessage::gatewayMessageId, Collectors.counting()));
      assertThat(perMessage).as("every message reached the engine").hasSize(MESSAGES);
      assertThat(perMessage.values()).as("once each").containsOnly(1L);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(count(instances.get(0).ds(), "SELECT COUNT(*) FROM wa_message WHERE state IN ('W', 'A')"))
              .as("nothing left waiting or claimed").isZero());
      assertThat(count(instances.get(0).ds(), "SELECT COUNT(*) FROM wa_message WHERE status = 'DEAD_LETTERED'"))
          .isZero();
      Map<String, String> ownerAfter = owners(leases);
      assertThat(ownerAfter.values()).doesNotContain("gw2");
      assertThat(takeoverSeconds).as("taken over within the lease time and one check").isLessThan(
          TTL.toSeconds() + TTL.toSeconds() / 3.0 + 2);
      System.out.printf("multi-instance: %d messages on 3 instances, gw2 killed after %d sends; its sessions %s"
          + " taken over in %.1f s (lease %d s); %d sends repeated by the new owners and recognised by id;"
          + " owners before %s, after %s%n", MESSAGES, MESSAGES / 3, itsSessions, takeoverSeconds, TTL.toSeconds(),
          network.repeatedSends(), ownerBefore, ownerAfter);
    } finally {
      for (Instance in : instances) {
        try {
          in.gateway().close();
        } catch (RuntimeException ignored) {
          // the dead one fails to close its stores
        }
        in.stores().close();
        in.ds().close();
        in.scheduler().close();
      }
      networkTime.close();
    }
  }

  static Map<String, String> owners(LeaseStore leases) {
    Map<String, String> out = new HashMap<>();
    for (LeaseStore.Lease l : leases.list()) {
      out.put(l.sessionId(), l.owner());
    }
    return out;
  }

  static long count(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
