package dev.wagateway.jdbc;

import dev.wagateway.store.SessionStore;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Durable stores on a {@link DataSource} the application supplies (a pool such as HikariCP):
 * PostgreSQL for several instances, SQLite in a file for one machine. {@link #migrate()} brings the
 * schema up to date with Flyway (its own history table, {@code wa_schema_history}).
 *
 * <pre>{@code
 * JdbcStores stores = JdbcStores.on(dataSource).migrate();
 * WaGateway gw = WaGateway.builder().sessionStore(stores.sessionStore()).build();
 * }</pre>
 *
 * This version holds the session store; the queue store, the webhook outbox and the lease store
 * come with the rest of issue 10.
 */
public final class JdbcStores {
  private final DataSource dataSource;
  private final Dialect dialect;

  private JdbcStores(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** Stores on {@code ds}; the dialect is read from the database. */
  public static JdbcStores on(DataSource ds) {
    Objects.requireNonNull(ds, "dataSource");
    return new JdbcStores(ds, Dialect.of(ds));
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Applies the migrations this version has not applied yet. */
  public JdbcStores migrate() {
    Flyway.configure().dataSource(dataSource).locations(dialect.migrations()).table("wa_schema_history")
        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    return this;
  }

  /** Sessions and their credentials (wrap it in EncryptingSessionStore, or set encryptionKeys on the builder). */
  public SessionStore sessionStore() {
    return new JdbcSessionStore(dataSource, dialect);
  }
}
