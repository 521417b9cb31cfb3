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

  private void run() {
    while (!closed) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
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
        log.warn("LISTEN {} lost its connection ({}); listening again in 1 s", CHANNEL, e.toString());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
