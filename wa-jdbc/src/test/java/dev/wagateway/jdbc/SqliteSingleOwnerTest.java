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

/** One process per SQLite file: a second process is refused with an error naming the file. */
class SqliteSingleOwnerTest {

  /** The other process: opens the file through JdbcStores, says so, and holds it until stdin ends. */
  public static void main(String[] args) throws Exception {
    try (HikariDataSource ds = Databases.sqlite(Path.of(args[0])); JdbcStores stores = JdbcStores.on(ds).migrate()) {
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
        "-cp", System.getProperty("java.class.path"), SqliteSingleOwnerTest.class.getName(), db.toString()))
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
  void theFileOfAnInMemoryDatabaseIsNotLocked() throws Exception {
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl("jdbc:sqlite::memory:");
      ds.setMaximumPoolSize(1);
      assertThat(SqliteFileLock.databaseFile(ds)).isNull();
    }
  }
}
