/**
 * Durable JDBC stores: {@link dev.wagateway.jdbc.JdbcStores} on PostgreSQL or SQLite, with Flyway
 * migrations. This version holds the session store (issue 10 is in progress).
 */
@NullMarked
package dev.wagateway.jdbc;

import org.jspecify.annotations.NullMarked;
