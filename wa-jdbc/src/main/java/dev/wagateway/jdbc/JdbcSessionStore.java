package dev.wagateway.jdbc;

import dev.wagateway.jid.Jid;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.store.SessionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@link SessionStore} on table {@code wa_session}: one row a session, an upsert to save. */
final class JdbcSessionStore implements SessionStore {
  private static final String COLUMNS =
      "id, pairing, pairing_phone, auto_start, self_jid, credentials, created_at, updated_at, paired_at";
  private final Transactions tx;
  private final String upsert;

  private final Fence fence;

  JdbcSessionStore(Transactions tx, Fence fence) {
    this.tx = tx;
    this.fence = fence;
    // both dialects speak INSERT ... ON CONFLICT (SQLite since 3.24)
    this.upsert = "INSERT INTO wa_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET pairing = excluded.pairing, pairing_phone = excluded.pairing_phone,"
        + " auto_start = excluded.auto_start, self_jid = excluded.self_jid, credentials = excluded.credentials,"
        + " created_at = excluded.created_at, updated_at = excluded.updated_at, paired_at = excluded.paired_at";
  }

  @Override
  public Optional<SessionRecord> load(String id) {
    return tx.read("loading session '" + id + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wa_session WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void save(SessionRecord r) {
    var owned = fence.of(r.id());
    tx.write("saving session '" + r.id() + "'", c -> {
      // an instance that lost the session's lease must not overwrite what the new owner stores
      try (PreparedStatement ps = c.prepareStatement(owned.isPresent()
          ? upsert + " WHERE EXISTS (SELECT 1 FROM wa_session_lease l WHERE l.session_id = excluded.id"
              + " AND l.owner = ? AND l.token = ? AND l.expires_at > ?)" : upsert)) {
      ps.setString(1, r.id());
      boolean code = r.options().pairing() instanceof PairingMethod.PhoneCode;
      ps.setString(2, code ? "code" : "qr");
      ps.setString(3, code ? ((PairingMethod.PhoneCode) r.options().pairing()).phoneNumber() : null);
      ps.setBoolean(4, r.options().autoStart());
      ps.setString(5, r.self() == null ? null : r.self().asString());
      byte[] creds = r.credentials();
      if (creds == null) {
        ps.setNull(6, Types.BINARY);
      } else {
        ps.setBytes(6, creds);
      }
      ps.setLong(7, Codec.nanos(r.createdAt()));
      ps.setLong(8, Codec.nanos(r.updatedAt()));
      setNullableLong(ps, 9, r.pairedAt() == null ? null : Codec.nanos(r.pairedAt()));
      if (owned.isPresent()) {
        Fence.bind(ps, 10, owned.get(), r.updatedAt());
        if (ps.executeUpdate() == 0) {
          throw Fence.refused(r.id(), owned.get());
        }
        return 1;
      }
      return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean delete(String id) {
    return tx.write("deleting session '" + id + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM wa_session WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<SessionRecord> loadAll() {
    return tx.read("loading the sessions", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM wa_session");
          ResultSet rs = ps.executeQuery()) {
        List<SessionRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    });
  }

  @Override
  public void ping() {
    tx.ping("wa_session", "the session table");
  }

  private static SessionRecord read(ResultSet rs) throws SQLException {
    String pairing = rs.getString("pairing");
    PairingMethod p = "code".equals(pairing) ? PairingMethod.phoneCode("+" + rs.getString("pairing_phone"))
        : PairingMethod.qr();
    SessionOptions options = SessionOptions.defaults().withPairing(p).withAutoStart(rs.getBoolean("auto_start"));
    String self = rs.getString("self_jid");
    long paired = rs.getLong("paired_at");
    Instant pairedAt = rs.wasNull() ? null : Codec.instant(paired);
    return new SessionRecord(rs.getString("id"), options, self == null ? null : Jid.parse(self),
        rs.getBytes("credentials"), Codec.instant(rs.getLong("created_at")), Codec.instant(rs.getLong("updated_at")), pairedAt);
  }

  private static void setNullableLong(PreparedStatement ps, int i, @Nullable Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

}
