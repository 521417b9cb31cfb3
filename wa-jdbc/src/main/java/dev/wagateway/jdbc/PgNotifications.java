package dev.wagateway.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN on {@code wa_queue} on a connection of its own: every enqueue in a shared store sends
 * {@code pg_notify('wa_queue', session_id)} in its transaction, PostgreSQL delivers it at commit,
 * and this thread hands the session id to the dispatcher, so the instance that owns the session
 * sends at once instead of at its next lease renewal. A lost connection is opened again after a
 * second (the lease renewal still wakes the sessions meanwhile). Loaded only for PostgreSQL.
 */
final class PgNotifications implements AutoCloseable {
  static final String CHANNEL = "wa_queue";
  private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);
  private final DataSource ds;
  private final Consumer<String> sink;
  private final Thread thread;
  private volatile boolean closed;

  PgNotifications(DataSource ds, Consumer<String> sink) {
    this.ds = ds;
    this.sink = sink;
    this.thread = new Thread(this::run, "wa-jdbc-listen");
    thread.setDaemon(true);
    thread.start();
  }

  /** The first pause after a lost connection; it doubles up to {@link #MAX_PAUSE_MS}. */
  static final long FIRST_PAUSE_MS = 1000;
  static final long MAX_PAUSE_MS = 30_000;

  private void run() {
    long pause = FIRST_PAUSE_MS;
    while (!closed) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        if (pause > FIRST_PAUSE_MS) {
          log.info("LISTEN {} is listening again", CHANNEL);
        }
        pause = FIRST_PAUSE_MS;
        while (!closed) {
          PGNotification[] ns = pg.getNotifications(500);
          if (ns != null) {
            for (PGNotification n : ns) {
              try {
                sink.accept(n.getParameter());
              } catch (RuntimeException e) {
                log.warn("waking session {} failed: {}", n.getParameter(), e.toString());
              }
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        // a database that stays away (or a pool closed under us) is retried ever more slowly:
        // at most one line every 30 s, not one a second forever
        log.warn("LISTEN {} lost its connection ({}); listening again in {} s", CHANNEL, e.toString(),
            pause / 1000);
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          return;
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
