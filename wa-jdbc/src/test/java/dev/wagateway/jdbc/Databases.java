package dev.wagateway.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * Databases for the tests: PostgreSQL on 127.0.0.1:5432 (database {@code test}, trust auth), each
 * test class in a schema of its own, dropped after; SQLite in a file under a temporary directory.
 * Without a PostgreSQL server the PostgreSQL tests skip with a message, except under CI=true.
 */
final class Databases {
  static final String PG_URL = System.getProperty("wa.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = System.getProperty("wa.test.pg.user", "postgres");

  private Databases() {}

  /** A pool on a fresh schema named after {@code owner}. */
  static HikariDataSource postgres(Class<?> owner) {
    String schema = "wa_" + owner.getSimpleName().toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String why = "PostgreSQL is not reachable at " + PG_URL + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why + ": under CI=true the PostgreSQL tests must run", e);
      }
      Assumptions.abort(why + ": skipping the PostgreSQL tests");
    }
    return postgresPool(schema);
  }

  /** A pool on an existing schema. */
  static HikariDataSource postgresPool(String schema) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(PG_URL + "?currentSchema=" + schema);
    cfg.setUsername(PG_USER);
    cfg.setMaximumPoolSize(8);
    cfg.setPoolName("pg-" + schema);
    return new HikariDataSource(cfg);
  }

  static void dropSchema(Class<?> owner) {
    String schema = "wa_" + owner.getSimpleName().toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException ignored) {
      // the server went away: nothing to clean
    }
  }

  /** Empties {@code tables} so a contract test starts from nothing. */
  static void truncate(javax.sql.DataSource ds, String... tables) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String t : tables) {
        s.execute("DELETE FROM " + t);
      }
    }
  }

  /** A pool on an SQLite file (WAL mode). */
  static HikariDataSource sqlite(Path file) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
    cfg.setMaximumPoolSize(4);
    // sqlite-jdbc applies these pragmas to every connection it opens
    cfg.addDataSourceProperty("journal_mode", "WAL");
    cfg.addDataSourceProperty("synchronous", "NORMAL");
    cfg.addDataSourceProperty("busy_timeout", "5000");
    cfg.setPoolName("sqlite-" + file.getFileName());
    return new HikariDataSource(cfg);
  }
}
