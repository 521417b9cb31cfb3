package dev.wagateway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claim sends its transaction-local settings and its UPDATE as one composite statement in
 * autocommit, one round trip (JdbcQueueStore.claim). That is right only while pgjdbc sends one Sync
 * after both statements and PostgreSQL runs what comes before a Sync as one implicit transaction:
 * the settings hold for the second statement, end with it, and both commit or roll back together.
 * These tests pin that with the driver and server this build uses, on the driver's first executions
 * and after it has prepared the statement on the server.
 */
class PgImplicitTransactionTest {
  static HikariDataSource ds;

  @BeforeAll
  static void open() throws SQLException {
    ds = Databases.postgres(PgImplicitTransactionTest.class);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS implicit_probe (n int PRIMARY KEY)");
    }
  }

  @AfterAll
  static void close() {
    if (ds != null) {
      ds.close();
    }
    Databases.dropSchema(PgImplicitTransactionTest.class);
  }

  /** The first row of the second statement's result, after the composite statement ran. */
  static List<String> secondRow(PreparedStatement ps) throws SQLException {
    ps.execute();
    assertThat(ps.getMoreResults()).as("the second statement's result").isTrue();
    List<String> row = new ArrayList<>();
    try (ResultSet rs = ps.getResultSet()) {
      assertThat(rs.next()).as("the second statement's row").isTrue();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getString(i));
      }
    }
    return row;
  }

  static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void settingsOfTheFirstStatementHoldForTheSecondAndEndWithIt() throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      String before = setting(c, "enable_seqscan");
      assertThat(before).isEqualTo("on");
      // 10 runs: pgjdbc prepares a statement on the server after 5 executions; both paths must hold
      for (int run = 0; run < 10; run++) {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('enable_seqscan', 'off', true),"
            + " set_config('synchronous_commit', 'off', true), txid_current(); SELECT current_setting('enable_seqscan'),"
            + " current_setting('synchronous_commit'), txid_current(), ?::int")) {
          ps.setInt(1, run);
          ps.execute();
          long firstTx;
          try (ResultSet rs = ps.getResultSet()) {
            rs.next();
            firstTx = rs.getLong(3);
          }
          assertThat(ps.getMoreResults()).as("run %d: the second statement's result", run).isTrue();
          try (ResultSet rs = ps.getResultSet()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("run %d: the plan setting, in the second statement", run).isEqualTo("off");
            assertThat(rs.getString(2)).as("run %d: the commit setting", run).isEqualTo("off");
            assertThat(rs.getLong(3)).as("run %d: one transaction for both statements", run).isEqualTo(firstTx);
            assertThat(rs.getInt(4)).as("run %d: the parameter reached the second statement", run).isEqualTo(run);
          }
        }
        assertThat(setting(c, "enable_seqscan")).as("run %d: the setting ended with the round trip", run)
            .isEqualTo("on");
        assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
      }
    }
  }

  @Test
  void bothStatementsCommitTogetherAtTheSyncOrNeither() throws SQLException {
    try (Connection c = ds.getConnection(); Connection other = ds.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT set_config('synchronous_commit', 'off', true); INSERT INTO implicit_probe VALUES (1) RETURNING n")) {
        assertThat(secondRow(ps)).containsExactly("1");
      }
      assertThat(count(other)).as("committed at the Sync, seen by another connection").isEqualTo(1);

      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO implicit_probe VALUES (2); SELECT n / 0 FROM implicit_probe WHERE n = 2")) {
        assertThatThrownBy(ps::execute).isInstanceOf(SQLException.class).hasMessageContaining("division by zero");
      }
      assertThat(count(other)).as("the failing second statement took the first one's row with it").isEqualTo(1);
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(setting(c, "enable_seqscan")).as("the connection is usable after the failure").isEqualTo("on");
    }
  }

  static long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM implicit_probe")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
