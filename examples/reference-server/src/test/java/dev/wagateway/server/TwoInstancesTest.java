package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two servers with WA_INSTANCE_ID on one PostgreSQL schema: both start (without it the second is
 * refused), a session paired on one is known to the other, and a message accepted by the other
 * is sent by the owner.
 */
class TwoInstancesTest {
  static final String KEY = Base64.getEncoder().encodeToString("two-instances-test-key-012345678".getBytes());

  @Test
  void twoInstancesShareOneSchema() throws Exception {
    String schema = "wa_twoinstancestest";
    CrashRecoveryTest.preparePostgres(schema);
    Map<String, String> common = Map.of("WA_STORE", "postgresql", "WA_ENCRYPTION_KEY", KEY,
        "WA_DB_URL", CrashRecoveryTest.PG_URL + "?currentSchema=" + schema, "WA_DB_USER", "postgres");
    Map<String, String> a = new java.util.HashMap<>(common);
    a.put("WA_INSTANCE_ID", "gw-a");
    Map<String, String> b = new java.util.HashMap<>(common);
    b.put("WA_INSTANCE_ID", "gw-b");
    try (TestServer first = new TestServer(a); TestServer second = new TestServer(b)) {
      first.pair("a", "+49 170 1111111");
      await().atMost(Duration.ofSeconds(15)).until(() -> second.get("/api/sessions/a", ADMIN).status() == 200);
      assertThat(second.get("/api/sessions/a", ADMIN).body().path("state").asText())
          .as("known to the other instance, run by its owner only").isNotEqualTo("CONNECTED");

      TestServer.Reply sent = second.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"via b\"}");
      assertThat(sent.status()).isEqualTo(202);
      String id = sent.body().path("id").asText();
      await().atMost(Duration.ofSeconds(15)).until(() ->
          first.get("/api/messages/" + id, ADMIN).body().path("status").asText().matches("SENT|DELIVERED|READ"));
    }
  }
}
