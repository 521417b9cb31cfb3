package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.StoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One process per SQLite file, and per PostgreSQL schema until sessions are owned through leases: a
 * second process is refused with an error naming the file or schema, and admitted once the first
 * died.
 */
class SingleOwnerTest {

  /** The other process: opens the file (or schema) through JdbcStores, says so, holds it until stdin ends. */
  public static void main(String[] args) throws Exception {
    try (HikariDataSource ds = args[0].equals("postgresql") ? Databases.postgresPool(args[1])
        : Databases.sqlite(Path.of(args[1])); JdbcStores stores = JdbcStores.on(ds).migrate()) {
      System.out.println("holding");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the test to close our stdin
      }
    }
  }

  @Test
  void aSecondProcessIsRefusedAndTheFileIsFreeAgainWhenTheFirstDies() throws Exception {
    Path db = Files.createTempDirectory("wa-sqlite").resolve("wa.db");
    Process other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SingleOwnerTest.class.getName(), "sqlite", db.toString()))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("holding")) {
        // skip the other JVM's log lines
      }
      assertThat(line).as("the other process opened the file").isEqualTo("holding");

      try (HikariDataSource ds = Databases.sqlite(db)) {
        assertThatThrownBy(() -> JdbcStores.on(ds)).isInstanceOf(StoreException.class)
            .hasMessageContaining(db.toString()).hasMessageContaining("in use by another process");
      }

      other.destroyForcibly(); // SIGKILL: the OS frees the lock
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (HikariDataSource ds = Databases.sqlite(db); JdbcStores stores = JdbcStores.on(ds).migrate()) {
        stores.queueStore().ping();
        // within one process the file is shared
        try (JdbcStores again = JdbcStores.on(ds)) {
          again.sessionStore().ping();
        }
        stores.webhookOutbox().ping();
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aSecondProcessOnOnePostgresSchemaIsRefused() throws Exception {
    Databases.postgres(SingleOwnerTest.class).close(); // a fresh schema (or a skip without PostgreSQL)
    String schema = "wa_" + SingleOwnerTest.class.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    Process other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SingleOwnerTest.class.getName(), "postgresql", schema))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("holding")) {
        // skip the other JVM's log lines
      }
      assertThat(line).as("the other process opened the schema").isEqualTo("holding");
      try (HikariDataSource ds = Databases.postgresPool(schema)) {
        assertThatThrownBy(() -> JdbcStores.on(ds)).isInstanceOf(StoreException.class)
            .hasMessageContaining(schema).hasMessageContaining("another gateway process");
        other.destroyForcibly();
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // PostgreSQL ends the dead process's session, and its lock with it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> {
              try (JdbcStores stores = JdbcStores.on(ds)) {
                stores.queueStore();
                return true;
              }
            });
      }
    } finally {
      other.destroyForcibly();
      Databases.dropSchema(SingleOwnerTest.class);
    }
  }

  @Test
  void theFileOfAnInMemoryDatabaseIsNotLocked() throws Exception {
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl("jdbc:sqlite::memory:");
      ds.setMaximumPoolSize(1);
      assertThat(SqliteFileLock.databaseFile(ds)).isNull();
    }
  }
}
