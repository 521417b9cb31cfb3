package dev.wagateway.jdbc;

import dev.wagateway.StoreException;
import dev.wagateway.queue.QueueStore;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.LeaseStore;
import dev.wagateway.store.SessionStore;
import dev.wagateway.webhook.WebhookOutbox;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * Durable stores on a {@link DataSource} the application supplies (a pool such as HikariCP):
 * PostgreSQL for several instances, SQLite in a file for one machine. {@link #migrate()} brings the
 * schema up to date with Flyway (its own history table, {@code wa_schema_history}).
 *
 * <pre>{@code
 * JdbcStores stores = JdbcStores.on(dataSource).migrate();
 * WaGateway gw = WaGateway.builder()
 *     .sessionStore(stores.sessionStore())
 *     .queueStore(stores.queueStore())
 *     .webhookOutbox(stores.webhookOutbox())
 *     .webhookSubscriptionStore(stores.webhookSubscriptionStore(keys))
 *     .encryptionKeys(keys)
 *     .build();
 * }</pre>
 *
 * <p>The stores of one {@code JdbcStores} share their transactions: a message's status change and
 * the webhook deliveries its event causes are committed together.
 *
 * <p>An SQLite file belongs to one process: opening it takes an exclusive lock on
 * {@code <file>.lock}, and a second process gets a {@link StoreException} that names the file.
 * Within one process any number of {@code JdbcStores} may share the file. {@link #close()} gives
 * the lock back (the operating system does when the process dies). On PostgreSQL a session-level
 * advisory lock, held on a connection of its own, does the same per schema until sessions are
 * owned through leases: the pool needs one connection more than the gateway uses.
 */
public final class JdbcStores implements AutoCloseable {
  private final DataSource dataSource;
  private final Dialect dialect;
  private final Transactions tx;
  private final ProcessLocks.@Nullable Share fileLock;
  private final JdbcQueueStore queue;
  private final JdbcWebhookOutbox outbox;
  private final JdbcSessionStore sessions;
  private final JdbcLeaseStore leases;
  private final JdbcSeenIds seenIds;

  private JdbcStores(DataSource dataSource, Dialect dialect, ProcessLocks.@Nullable Share fileLock, boolean shared) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.fileLock = fileLock;
    this.tx = new Transactions(dataSource, dialect);
    this.leases = new JdbcLeaseStore(tx);
    this.seenIds = new JdbcSeenIds(tx);
    Fence fence = new Fence(leases);
    this.queue = new JdbcQueueStore(tx, fence, shared && dialect == Dialect.POSTGRESQL ? dataSource : null);
    this.outbox = new JdbcWebhookOutbox(tx);
    this.sessions = new JdbcSessionStore(tx, fence);
  }

  /**
   * Stores on {@code ds}; the dialect is read from the database.
   *
   * @throws StoreException when the database cannot be reached, is neither PostgreSQL nor SQLite, or
   *     is an SQLite file another process holds
   */
  public static JdbcStores on(DataSource ds) {
    Objects.requireNonNull(ds, "dataSource");
    Dialect dialect = Dialect.of(ds);
    ProcessLocks.Share lock = dialect == Dialect.SQLITE ? SqliteFileLock.acquire(ds) : PostgresInstanceLock.acquire(ds);
    return new JdbcStores(ds, dialect, lock, false);
  }

  /**
   * Stores that several gateway instances share: no per-schema instance lock; each gateway must
   * own its sessions through {@link #leaseStore()} ({@code WaGatewayBuilder.ownership}), which also
   * fences the queue and session writes of an instance that lost a session. On SQLite the file
   * lock stays: one process per file, so the leases only ever name that process.
   */
  public static JdbcStores shared(DataSource ds) {
    Objects.requireNonNull(ds, "dataSource");
    Dialect dialect = Dialect.of(ds);
    return new JdbcStores(ds, dialect, dialect == Dialect.SQLITE ? SqliteFileLock.acquire(ds) : null, true);
  }

  /**
   * Ids of inbound notifications already processed (the Cloud API engine's durable
   * de-duplication of Meta's redeliveries), shared by every instance on the database.
   */
  public dev.wagateway.store.SeenIds seenIds() {
    return seenIds;
  }

  /** Session leases with fencing tokens, for {@code WaGatewayBuilder.ownership}. */
  public LeaseStore leaseStore() {
    return leases;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Applies the migrations this version has not applied yet. On SQLite it first switches the file
   * to WAL (readers never wait for the writer; the mode is kept in the file).
   */
  public JdbcStores migrate() {
    if (dialect == Dialect.SQLITE) {
      tx.read("switching the SQLite file to WAL", c -> {
        try (Statement s = c.createStatement()) {
          return s.execute("PRAGMA journal_mode=WAL");
        }
      });
    }
    Flyway.configure().dataSource(dataSource).locations(dialect.migrations()).table("wa_schema_history")
        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    return this;
  }

  /** Sessions and their credentials (wrap it in EncryptingSessionStore, or set encryptionKeys on the builder). */
  public SessionStore sessionStore() {
    return sessions;
  }

  /** The outbound queue: claims with leases, retries, dead letters, idempotency keys. */
  public QueueStore queueStore() {
    return queue;
  }

  /** Webhook deliveries, appended in the transaction of the change that caused them. */
  public WebhookOutbox webhookOutbox() {
    return outbox;
  }

  /**
   * Webhook subscriptions; their signing secrets and custom headers are sealed with {@code keys}
   * (the same keys the gateway uses for session credentials will do).
   */
  public WebhookSubscriptionStore webhookSubscriptionStore(EncryptionKeys keys) {
    return new JdbcWebhookSubscriptionStore(tx, Objects.requireNonNull(keys, "keys"));
  }

  /** Releases the SQLite file lock; the DataSource stays the application's to close. */
  @Override
  public void close() {
    queue.close();
    if (fileLock != null) {
      fileLock.release();
    }
  }
}
