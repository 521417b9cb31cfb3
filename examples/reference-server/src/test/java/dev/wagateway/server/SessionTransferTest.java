package dev.wagateway.server;

import static dev.wagateway.server.TestServer.ADMIN;
import static dev.wagateway.server.TestServer.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sessions exported from a server on SQLite as an encrypted bundle and imported into a server on a
 * fresh PostgreSQL schema log in there and send.
 */
class SessionTransferTest {
  static final String KEY = Base64.getEncoder().encodeToString("transfer-test-key-0123456789abcd".getBytes());
  static final String PASS = "a long transfer passphrase";

  @Test
  void exportFromSqliteImportIntoAFreshPostgresAndSend() throws Exception {
    JsonNode bundle;
    try (TestServer a = new TestServer(Map.of("WA_ENCRYPTION_KEY", KEY))) {
      a.pair("a", "+49 170 1111111");
      assertThat(a.post("/api/sessions/export", KEY_A, "{\"passphrase\":\"" + PASS + "\"}").status())
          .as("a session key may not export").isEqualTo(403);
      assertThat(a.post("/api/sessions/export", ADMIN, "{\"passphrase\":\"short\"}").body().path("field").asText())
          .isEqualTo("passphrase");
      assertThat(a.post("/api/sessions/export", ADMIN, "{\"passphrase\":\"" + PASS + "\",\"sessions\":[\"nobody\"]}")
          .status()).isEqualTo(404);
      TestServer.Reply r = a.post("/api/sessions/export", ADMIN, "{\"passphrase\":\"" + PASS + "\"}");
      assertThat(r.status()).isEqualTo(200);
      bundle = r.body();
      assertThat(bundle.path("format").asText()).isEqualTo("wa-gateway-sessions/1");
      assertThat(bundle.path("sessions").asInt()).isEqualTo(1);
    }

    String schema = "wa_sessiontransfertest";
    CrashRecoveryTest.preparePostgres(schema);
    try (TestServer b = new TestServer(Map.of("WA_STORE", "postgresql", "WA_ENCRYPTION_KEY", KEY,
        "WA_DB_URL", CrashRecoveryTest.PG_URL + "?currentSchema=" + schema, "WA_DB_USER", "postgres"))) {
      TestServer.Reply wrong = b.post("/api/sessions/import", ADMIN,
          "{\"passphrase\":\"not the right passphrase\",\"bundle\":" + bundle + "}");
      assertThat(wrong.status()).isEqualTo(400);
      assertThat(wrong.body().path("field").asText()).isEqualTo("passphrase");
      assertThat(b.post("/api/sessions/import", ADMIN, "{\"passphrase\":\"" + PASS + "\",\"bundle\":\"x\"}")
          .body().path("field").asText()).isEqualTo("bundle");

      TestServer.Reply imported = b.post("/api/sessions/import", ADMIN,
          "{\"passphrase\":\"" + PASS + "\",\"bundle\":" + bundle + "}");
      assertThat(imported.status()).isEqualTo(201);
      assertThat(imported.body().path("sessions").get(0).path("id").asText()).isEqualTo("a");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          b.get("/api/sessions/a", ADMIN).body().path("state").asText().equals("CONNECTED"));
      assertThat(b.get("/api/sessions/a", ADMIN).body().path("self").asText()).startsWith("491701111111");

      TestServer.Reply sent = b.post("/api/sessions/a/messages", ADMIN, "{\"to\":\"+44 7700 900222\",\"text\":\"moved\"}");
      assertThat(sent.status()).isEqualTo(202);
      String id = sent.body().path("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          b.get("/api/messages/" + id, ADMIN).body().path("status").asText().matches("SENT|DELIVERED|READ"));

      assertThat(b.post("/api/sessions/import", ADMIN, "{\"passphrase\":\"" + PASS + "\",\"bundle\":" + bundle + "}")
          .status()).as("importing twice adds nothing").isEqualTo(409);
    }
  }
}
