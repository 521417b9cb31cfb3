package dev.wagateway.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wagateway.ValidationException;
import dev.wagateway.WaGatewayBuilder;
import dev.wagateway.jdbc.JdbcStores;
import dev.wagateway.store.EncryptionKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server keeps sessions, queued messages, webhook subscriptions and pending deliveries:
 * SQLite in a file (the default), PostgreSQL, or memory. Credentials and webhook secrets are sealed
 * with WA_ENCRYPTION_KEY, or, for SQLite without one, with a key kept in {@code <db>.key} beside
 * the database (created once, owner-only; back it up with the database, see docs/operations.md).
 */
final class Storage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Storage.class);
  private final @Nullable HikariDataSource dataSource;
  private final @Nullable JdbcStores stores;
  private final @Nullable EncryptionKeys keys;
  private final @Nullable Path file;
  private final byte @Nullable [] deviceSecret;
  private final byte[] linkKey;
  private @Nullable String instanceId;

  private Storage(@Nullable HikariDataSource ds, @Nullable JdbcStores stores, @Nullable EncryptionKeys keys,
      @Nullable Path file, @Nullable String keyMaterial) {
    this.deviceSecret = stores == null || keyMaterial == null ? null : derive(keyMaterial);
    // media links signed with a key derived from the encryption key outlive restarts; without one they die with the process
    this.linkKey = keyMaterial == null ? randomKey() : derive("media links|" + keyMaterial);
    this.dataSource = ds;
    this.stores = stores;
    this.keys = keys;
    this.file = file;
  }

  static Storage open(ServerConfig config) {
    EncryptionKeys configured = null;
    String material = config.encryptionKey();
    if (material != null) {
      try {
        configured = EncryptionKeys.of("k1", config.encryptionKey());
      } catch (RuntimeException e) {
        throw new ValidationException("WA_ENCRYPTION_KEY", "must be a base64 AES key of 16, 24 or 32 bytes");
      }
    }
    switch (config.store()) {
      case "memory":
        return new Storage(null, null, configured, null, null);
      case "sqlite": {
        Path db = config.dbPath().toAbsolutePath().normalize();
        try {
          Files.createDirectories(db.getParent());
        } catch (IOException e) {
          throw new ValidationException("WA_DB_PATH", "cannot create the directory " + db.getParent() + ": " + e);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:sqlite:" + db);
        cfg.setPoolName("wa-sqlite");
        cfg.setMaximumPoolSize(4);
        // WAL: readers never wait for the writer; NORMAL: a commit survives the process dying (the
        // OS has it), only an OS crash or power loss can take the last ones back
        cfg.addDataSourceProperty("journal_mode", "WAL");
        cfg.addDataSourceProperty("synchronous", "NORMAL");
        cfg.addDataSourceProperty("busy_timeout", "5000");
        Path keyFile = db.resolveSibling(db.getFileName() + ".key");
        if (material == null) {
          material = keyFile(keyFile);
        }
        return jdbc(cfg, EncryptionKeys.of("k1", material), db, material, false);
      }
      case "postgresql": {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(config.dbUrl());
        cfg.setUsername(config.dbUser());
        cfg.setPassword(config.dbPassword());
        cfg.setPoolName("wa-postgresql");
        cfg.setMaximumPoolSize(10);
        Storage s = jdbc(cfg, configured, null, material, config.instanceId() != null);
        s.instanceId = config.instanceId();
        return s;
      }
      default:
        throw new ValidationException("WA_STORE", "unknown store " + config.store());
    }
  }

  private static Storage jdbc(HikariConfig cfg, EncryptionKeys keys, @Nullable Path file, String material,
      boolean shared) {
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      // Hikari's message names the URL, never the password
      throw new ValidationException(file != null ? "WA_DB_PATH" : "WA_DB_URL",
          "cannot open the database: " + e.getMessage());
    }
    try {
      JdbcStores stores = shared ? JdbcStores.shared(ds) : JdbcStores.on(ds);
      return new Storage(ds, stores.migrate(), keys, file, material);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /** The base64 key in {@code keyFile}, made on first use with owner-only permissions. */
  static String keyFile(Path keyFile) {
    try {
      if (!Files.exists(keyFile)) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        try {
          Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(keyFile);
        }
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
        log.info("created the encryption key file {} (credentials and webhook secrets are sealed with it;"
            + " back it up with the database, or set WA_ENCRYPTION_KEY)", keyFile);
      }
      String material = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
      try {
        EncryptionKeys.of("k1", material);
      } catch (ValidationException e) {
        throw new ValidationException("WA_DB_PATH", "the key file " + keyFile + " does not hold a base64 AES key");
      }
      return material;
    } catch (FileAlreadyExistsException e) {
      return keyFile(keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the key file " + keyFile, e);
    }
  }

  /** A secret for the simulated network's remembered devices, derived from (never equal to) the key. */
  private static byte[] derive(String keyMaterial) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(("wa-gateway simulated devices|" + keyMaterial).getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    return k;
  }

  /** The key media links are signed with (never the encryption key itself). */
  byte[] mediaLinkKey() {
    return linkKey.clone();
  }

  /**
   * With a durable store, the secret the simulated network signs device credentials with, so
   * sessions paired before a restart log back in (null in memory: nothing outlives the process).
   */
  byte @Nullable [] simulatedDeviceSecret() {
    return deviceSecret == null ? null : deviceSecret.clone();
  }

  /** Puts the stores (and keys) on the gateway builder. */
  void apply(WaGatewayBuilder b) {
    if (keys != null) {
      b.encryptionKeys(keys);
    }
    if (stores != null) {
      b.sessionStore(stores.sessionStore()).queueStore(stores.queueStore()).webhookOutbox(stores.webhookOutbox())
          .webhookSubscriptionStore(stores.webhookSubscriptionStore(keys));
      if (instanceId != null) {
        // one of several instances: run the sessions whose lease this one holds
        b.ownership(instanceId, stores.leaseStore(), dev.wagateway.session.Ownership.DEFAULT_TTL);
      }
    }
  }

  /** Where the Cloud API engine remembers inbound ids: the database when there is one. */
  dev.wagateway.store.SeenIds seenIds() {
    return stores != null ? stores.seenIds() : new dev.wagateway.store.InMemorySeenIds();
  }

  boolean durable() {
    return stores != null;
  }

  /** The SQLite file, for the storage gauges; null otherwise. */
  @Nullable Path file() {
    return file;
  }

  @Override
  public void close() {
    if (stores != null) {
      stores.close();
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }
}
