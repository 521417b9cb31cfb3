package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** The two databases wa-jdbc speaks: one schema, one set of SQL each. */
public enum Dialect {
  POSTGRESQL("postgresql"),
  SQLITE("sqlite");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /** The Flyway location of this dialect's migrations. */
  String migrations() {
    return "classpath:db/wa/" + folder;
  }

  /** The dialect of the database behind {@code ds}, from its driver's product name. */
  public static Dialect of(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return POSTGRESQL;
      }
      if (product.contains("sqlite")) {
        return SQLITE;
      }
      throw new StoreException("wa-jdbc supports PostgreSQL and SQLite, not " + product);
    } catch (SQLException e) {
      throw new StoreException("cannot reach the database to find its dialect: " + e.getMessage(), e);
    }
  }
}
