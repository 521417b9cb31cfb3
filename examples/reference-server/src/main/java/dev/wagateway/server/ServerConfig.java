package dev.wagateway.server;

import dev.wagateway.ValidationException;
import dev.wagateway.queue.PacingPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The server's settings, read from environment variables and, when {@code WA_CONFIG} names one, a
 * properties file with the same keys (the environment wins). Every value is checked here; a bad one
 * fails start-up with the variable's name. The README has the table. {@link #toString()} shows no
 * key or secret.
 *
 * @param apiKeys the configured keys; empty means the development key is in use
 * @param store {@code sqlite} (the default: {@code dbPath}), {@code postgresql} ({@code dbUrl}) or
 *     {@code memory}
 * @param encryptionKey a base64 AES key for stored credentials and webhook secrets; null: with
 *     SQLite a key file beside the database, in memory none
 */
public record ServerConfig(
    String host,
    int port,
    int wsPort,
    List<ApiKeys.Entry> apiKeys,
    String engine,
    String store,
    Path dbPath,
    @Nullable String dbUrl,
    @Nullable String dbUser,
    @Nullable String dbPassword,
    @Nullable String instanceId,
    PacingPolicy pacing,
    boolean devEndpoints,
    int maxBodyBytes,
    double rateLimitPerSecond,
    int rateLimitBurst,
    boolean webhookAllowPrivate,
    String webhookClient,
    @Nullable String encryptionKey,
    boolean jsonLogs,
    Duration shutdownTimeout,
    int maxSessions,
    dev.wagateway.cloudapi.@Nullable CloudApiConfig cloudApi,
    dev.wagateway.web.@Nullable WebEngineConfig web,
    @Nullable Path mediaDir,
    dev.wagateway.media.s3.S3MediaStore.@Nullable Builder mediaS3,
    Duration mediaRetention,
    @Nullable String publicUrl,
    Duration mediaLinkTtl) {

  /** The key the README documents; only used when WA_API_KEYS is not set, with a warning. */
  public static final String DEV_ADMIN_KEY = "dev-admin-key-change-me";
  static final Set<String> KNOWN = Set.of("WA_HOST", "WA_PORT", "WA_WS_PORT", "WA_API_KEYS", "WA_ENGINE",
      "WA_STORE", "WA_DB_PATH", "WA_DB_URL", "WA_DB_USER", "WA_DB_PASSWORD", "WA_INSTANCE_ID", "WA_PACING_RATE", "WA_PACING_BURST", "WA_RECIPIENT_GAP", "WA_DEV_ENDPOINTS", "WA_MAX_BODY_BYTES",
      "WA_RATE_LIMIT", "WA_RATE_LIMIT_BURST", "WA_WEBHOOK_ALLOW_PRIVATE", "WA_WEBHOOK_CLIENT", "WA_ENCRYPTION_KEY",
      "WA_LOG_FORMAT", "WA_SHUTDOWN_TIMEOUT", "WA_MAX_SESSIONS", "WA_CONFIG", "WA_CLOUDAPI_ACCOUNTS",
      "WA_CLOUDAPI_APP_SECRET", "WA_CLOUDAPI_VERIFY_TOKEN", "WA_CLOUDAPI_BASE_URL", "WA_CLOUDAPI_API_VERSION",
      "WA_WEB_URL", "WA_WEB_ROOT_KEY", "WA_MEDIA", "WA_MEDIA_DIR", "WA_MEDIA_RETENTION", "WA_PUBLIC_URL", "WA_MEDIA_LINK_TTL",
      "WA_MEDIA_S3_BUCKET", "WA_MEDIA_S3_ENDPOINT", "WA_MEDIA_S3_REGION", "WA_MEDIA_S3_PREFIX", "WA_MEDIA_S3_ACCESS_KEY",
      "WA_MEDIA_S3_SECRET_KEY");

  /** True when no key was configured and {@link #DEV_ADMIN_KEY} is accepted. */
  public boolean usesDevKey() {
    return apiKeys.size() == 1 && apiKeys.get(0).devKey();
  }

  /** Reads the process environment (and WA_CONFIG). */
  public static ServerConfig fromEnvironment() {
    return load(System.getenv());
  }

  /** Reads {@code env}, and the file WA_CONFIG names in it, if any. */
  public static ServerConfig load(Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    String file = env.get("WA_CONFIG");
    if (file != null && !file.isBlank()) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | RuntimeException e) {
        throw new ValidationException("WA_CONFIG", "cannot read the config file " + file + ": " + e.getMessage());
      }
      for (String k : p.stringPropertyNames()) {
        if (!KNOWN.contains(k)) {
          throw new ValidationException(k, "unknown setting in " + file + " (known: see the README's table)");
        }
        all.put(k, p.getProperty(k).trim());
      }
    }
    env.forEach((k, v) -> {
      if (k.startsWith("WA_")) {
        all.put(k, v.trim());
      }
    });
    Values r = new Values(all);
    String engine = r.oneOf("WA_ENGINE", "simulated", Set.of("simulated", "cloudapi", "web"));
    dev.wagateway.cloudapi.CloudApiConfig cloudApi = engine.equals("cloudapi") ? cloudApi(r) : null;
    dev.wagateway.web.WebEngineConfig web = engine.equals("web") ? web(r) : null;
    PacingPolicy pacing = PacingPolicy.defaults()
        .withRate(r.decimal("WA_PACING_RATE", PacingPolicy.DEFAULT_RATE_PER_SECOND, 0, 1000),
            r.integer("WA_PACING_BURST", PacingPolicy.DEFAULT_BURST, 1, 10_000))
        .withRecipientGap(r.duration("WA_RECIPIENT_GAP", PacingPolicy.DEFAULT_RECIPIENT_GAP));
    String logFormat = r.oneOf("WA_LOG_FORMAT", "text", Set.of("text", "json"));
    String store = r.oneOf("WA_STORE", "sqlite", Set.of("sqlite", "postgresql", "memory"));
    String dbUrl = r.raw("WA_DB_URL");
    String encryptionKey = r.raw("WA_ENCRYPTION_KEY");
    if (store.equals("postgresql")) {
      ValidationException.require(dbUrl != null && dbUrl.startsWith("jdbc:postgresql://"), "WA_DB_URL",
          "WA_STORE=postgresql needs a URL such as jdbc:postgresql://db:5432/wa");
      ValidationException.require(encryptionKey != null, "WA_ENCRYPTION_KEY",
          "WA_STORE=postgresql needs a key every instance shares (credentials and webhook secrets are sealed with it)");
    } else {
      ValidationException.require(dbUrl == null, "WA_DB_URL", "is only read with WA_STORE=postgresql");
    }
    String instanceId = r.raw("WA_INSTANCE_ID");
    if (instanceId != null) {
      ValidationException.require(store.equals("postgresql"), "WA_INSTANCE_ID",
          "several instances share a PostgreSQL database: set WA_STORE=postgresql");
      ValidationException.require(instanceId.matches("[A-Za-z0-9._:-]{1,64}"), "WA_INSTANCE_ID",
          "1 to 64 letters, digits, '.', '_', ':' or '-'");
    }
    Path dbPath;
    try {
      dbPath = Path.of(r.string("WA_DB_PATH", "data/wa.db"));
    } catch (java.nio.file.InvalidPathException e) {
      throw new ValidationException("WA_DB_PATH", "is not a file path");
    }
    return new ServerConfig(
        r.string("WA_HOST", "0.0.0.0"),
        r.integer("WA_PORT", 8080, 0, 65535),
        r.integer("WA_WS_PORT", 8081, 0, 65535),
        ApiKeys.parse(r.raw("WA_API_KEYS")),
        engine,
        store,
        dbPath,
        dbUrl,
        r.raw("WA_DB_USER"),
        r.raw("WA_DB_PASSWORD"),
        instanceId,
        pacing,
        r.bool("WA_DEV_ENDPOINTS", engine.equals("simulated")),
        r.integer("WA_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20),
        r.decimal("WA_RATE_LIMIT", 50, 0.1, 1_000_000),
        r.integer("WA_RATE_LIMIT_BURST", 100, 1, 1_000_000),
        r.bool("WA_WEBHOOK_ALLOW_PRIVATE", false),
        r.oneOf("WA_WEBHOOK_CLIENT", "jdk", Set.of("jdk", "hc5")),
        encryptionKey,
        logFormat.equals("json"),
        r.duration("WA_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)),
        r.integer("WA_MAX_SESSIONS", 1000, 1, 100_000),
        cloudApi,
        web,
        mediaDir(r),
        mediaS3(r),
        r.duration("WA_MEDIA_RETENTION", dev.wagateway.media.MediaConfig.DEFAULT_RETENTION),
        publicUrl(r),
        r.duration("WA_MEDIA_LINK_TTL", Duration.ofDays(1)));
  }

  /** WA_MEDIA=filesystem (the default) keeps media in WA_MEDIA_DIR; s3 in a bucket; off lets them pass through. */
  private static @Nullable Path mediaDir(Values r) {
    String mode = r.oneOf("WA_MEDIA", "filesystem", Set.of("filesystem", "s3", "off"));
    if (!mode.equals("filesystem")) {
      return null;
    }
    try {
      return Path.of(r.string("WA_MEDIA_DIR", "data/media"));
    } catch (java.nio.file.InvalidPathException e) {
      throw new ValidationException("WA_MEDIA_DIR", "is not a directory path");
    }
  }

  /** WA_MEDIA=s3: the bucket and how to reach it (AWS, or an S3-compatible server by endpoint). */
  private static dev.wagateway.media.s3.S3MediaStore.@Nullable Builder mediaS3(Values r) {
    if (!"s3".equals(r.raw("WA_MEDIA"))) {
      for (String k : new String[] {"WA_MEDIA_S3_BUCKET", "WA_MEDIA_S3_ENDPOINT", "WA_MEDIA_S3_ACCESS_KEY"}) {
        ValidationException.require(r.raw(k) == null, k, "is only read with WA_MEDIA=s3");
      }
      return null;
    }
    String bucket = r.raw("WA_MEDIA_S3_BUCKET");
    ValidationException.require(bucket != null, "WA_MEDIA_S3_BUCKET", "WA_MEDIA=s3 needs a bucket");
    String key = r.raw("WA_MEDIA_S3_ACCESS_KEY");
    String secret = r.raw("WA_MEDIA_S3_SECRET_KEY");
    ValidationException.require((key == null) == (secret == null), key == null ? "WA_MEDIA_S3_ACCESS_KEY"
        : "WA_MEDIA_S3_SECRET_KEY", "give both keys, or neither for the SDK's default credentials");
    return asVariables(S3_VARIABLES, "WA_MEDIA", () -> {
      var b = dev.wagateway.media.s3.S3MediaStore.builder().bucket(bucket)
          .region(r.string("WA_MEDIA_S3_REGION", "us-east-1")).prefix(r.string("WA_MEDIA_S3_PREFIX", "media/"));
      String endpoint = r.raw("WA_MEDIA_S3_ENDPOINT");
      if (endpoint != null) {
        b.endpoint(endpoint);
      }
      if (key != null) {
        b.credentials(key, secret);
      }
      return b;
    });
  }

  /** The S3 builder's field names, as the variables that set them. */
  private static final Map<String, String> S3_VARIABLES = Map.of("media.s3.bucket", "WA_MEDIA_S3_BUCKET",
      "media.s3.region", "WA_MEDIA_S3_REGION", "media.s3.prefix", "WA_MEDIA_S3_PREFIX", "media.s3.endpoint",
      "WA_MEDIA_S3_ENDPOINT", "media.s3.accessKeyId", "WA_MEDIA_S3_ACCESS_KEY", "media.s3.secretAccessKey",
      "WA_MEDIA_S3_SECRET_KEY");

  /** The Cloud API builder's field names, as the variables that set them. */
  private static final Map<String, String> CLOUDAPI_VARIABLES = Map.of("cloudapi.appSecret", "WA_CLOUDAPI_APP_SECRET",
      "cloudapi.verifyToken", "WA_CLOUDAPI_VERIFY_TOKEN", "cloudapi.baseUrl", "WA_CLOUDAPI_BASE_URL",
      "cloudapi.apiVersion", "WA_CLOUDAPI_API_VERSION", "cloudapi.accounts.sessionId", "WA_CLOUDAPI_ACCOUNTS",
      "cloudapi.accounts.phoneNumberId", "WA_CLOUDAPI_ACCOUNTS", "cloudapi.accounts.accessToken",
      "WA_CLOUDAPI_ACCOUNTS");

  /**
   * Runs a library builder fed from variables; its errors name the library's field
   * ({@code media.s3.bucket}), which an operator does not set, so they are named again as the
   * variable that does ({@code WA_MEDIA_S3_BUCKET}), or {@code otherwise} for a field no variable sets.
   */
  private static <T> T asVariables(Map<String, String> variables, String otherwise,
      java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (ValidationException e) {
      if (e.field().startsWith("WA_")) {
        throw e;
      }
      throw new ValidationException(variables.getOrDefault(e.field(), otherwise), e.reason());
    }
  }

  /** The server's address as webhook receivers reach it, for signed media links. */
  private static @Nullable String publicUrl(Values r) {
    String u = r.raw("WA_PUBLIC_URL");
    if (u == null) {
      return null;
    }
    ValidationException.require(u.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?"), "WA_PUBLIC_URL",
        "an http(s) URL such as https://wa.example.com");
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /**
   * WA_ENGINE=web: the native WhatsApp Web engine. WA_WEB_URL and WA_WEB_ROOT_KEY (hex, 32 bytes)
   * exist for tests against a mock server; by default it talks to WhatsApp itself.
   */
  private static dev.wagateway.web.WebEngineConfig web(Values r) {
    dev.wagateway.web.WebEngineConfig c = dev.wagateway.web.WebEngineConfig.defaults();
    String url = r.raw("WA_WEB_URL");
    if (url != null) {
      ValidationException.require(url.matches("wss?://[^\\s]+"), "WA_WEB_URL",
          "a ws:// or wss:// URL such as wss://web.whatsapp.com/ws/chat");
      c = c.withUrl(java.net.URI.create(url));
    }
    String root = r.raw("WA_WEB_ROOT_KEY");
    if (root != null) {
      ValidationException.require(root.matches("[0-9a-fA-F]{64}"), "WA_WEB_ROOT_KEY",
          "64 hex digits (a test server's certificate root; leave it unset for WhatsApp)");
      c = c.withRootKey(java.util.HexFormat.of().parseHex(root));
    }
    return c;
  }

  /**
   * WA_ENGINE=cloudapi: WA_CLOUDAPI_ACCOUNTS is {@code session=phoneNumberId:accessToken}, several
   * separated by commas; the app secret and verify token come from their own settings.
   */
  private static dev.wagateway.cloudapi.CloudApiConfig cloudApi(Values r) {
    return asVariables(CLOUDAPI_VARIABLES, "WA_ENGINE", () -> cloudApiAccounts(r));
  }

  private static dev.wagateway.cloudapi.CloudApiConfig cloudApiAccounts(Values r) {
    String secret = r.raw("WA_CLOUDAPI_APP_SECRET");
    String verify = r.raw("WA_CLOUDAPI_VERIFY_TOKEN");
    String accounts = r.raw("WA_CLOUDAPI_ACCOUNTS");
    ValidationException.require(secret != null, "WA_CLOUDAPI_APP_SECRET",
        "WA_ENGINE=cloudapi needs the Meta app's secret (it signs the webhook posts)");
    ValidationException.require(verify != null, "WA_CLOUDAPI_VERIFY_TOKEN",
        "WA_ENGINE=cloudapi needs the verify token set in the Meta app's webhook settings");
    ValidationException.require(accounts != null && !accounts.isBlank(), "WA_CLOUDAPI_ACCOUNTS",
        "WA_ENGINE=cloudapi needs at least one session=phoneNumberId:accessToken");
    dev.wagateway.cloudapi.CloudApiConfig.Builder b = dev.wagateway.cloudapi.CloudApiConfig.builder()
        .appSecret(secret).verifyToken(verify)
        .baseUrl(r.string("WA_CLOUDAPI_BASE_URL", "https://graph.facebook.com"))
        .apiVersion(r.string("WA_CLOUDAPI_API_VERSION", dev.wagateway.cloudapi.CloudApiConfig.DEFAULT_API_VERSION));
    for (String entry : accounts.split(",")) {
      String e = entry.strip();
      int eq = e.indexOf('=');
      int colon = e.indexOf(':', eq + 1);
      ValidationException.require(eq > 0 && colon > eq + 1 && colon < e.length() - 1, "WA_CLOUDAPI_ACCOUNTS",
          "each entry is session=phoneNumberId:accessToken (entry " + e.substring(0, Math.max(0, Math.min(eq, 20)))
              + "… is not)");
      b.account(e.substring(0, eq), e.substring(eq + 1, colon), e.substring(colon + 1));
    }
    return b.build();
  }

  @Override
  public String toString() {
    List<String> keys = new ArrayList<>();
    apiKeys.forEach(k -> keys.add(k.scopeDescription()));
    return "ServerConfig[host=" + host + ", port=" + port + ", wsPort=" + wsPort + ", keys=" + keys
        + ", engine=" + engine + ", store=" + storeDescription() + ", pacing=" + pacing + ", devEndpoints=" + devEndpoints
        + ", maxBodyBytes=" + maxBodyBytes + ", rateLimit=" + rateLimitPerSecond + "/s burst " + rateLimitBurst
        + ", webhookAllowPrivate=" + webhookAllowPrivate + ", webhookClient=" + webhookClient
        + ", encryption=" + (encryptionKey != null ? "on" : "off") + ", jsonLogs=" + jsonLogs
        + ", shutdownTimeout=" + shutdownTimeout + ", maxSessions=" + maxSessions + "]";
  }

  /** The store and where it is, without user or password. */
  String storeDescription() {
    return switch (store) {
      case "sqlite" -> "sqlite " + dbPath;
      case "postgresql" -> "postgresql " + (dbUrl == null ? "" : dbUrl.replaceAll("[?].*$", ""))
          + (instanceId == null ? "" : " as instance " + instanceId);
      default -> store;
    };
  }

  /** Typed reads that name the variable in every error. */
  private record Values(Map<String, String> values) {
    @Nullable String raw(String key) {
      String v = values.get(key);
      return v == null || v.isEmpty() ? null : v;
    }

    String string(String key, String dflt) {
      String v = raw(key);
      return v == null ? dflt : v;
    }

    String oneOf(String key, String dflt, Set<String> allowed) {
      String v = string(key, dflt).toLowerCase(Locale.ROOT);
      if (!allowed.contains(v)) {
        throw new ValidationException(key, "must be one of " + allowed + ", was '" + v + "'");
      }
      return v;
    }

    int integer(String key, int dflt, int min, int max) {
      String v = raw(key);
      if (v == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          throw new ValidationException(key, "must be between " + min + " and " + max + ", was " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ValidationException(key, "must be a whole number, was '" + v + "'");
      }
    }

    double decimal(String key, double dflt, double min, double max) {
      String v = raw(key);
      if (v == null) {
        return dflt;
      }
      try {
        double n = Double.parseDouble(v);
        if (!(n >= min && n <= max)) {
          throw new ValidationException(key, "must be between " + min + " and " + max + ", was " + v);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new ValidationException(key, "must be a number, was '" + v + "'");
      }
    }

    boolean bool(String key, boolean dflt) {
      String v = raw(key);
      if (v == null) {
        return dflt;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "1", "on" -> true;
        case "false", "no", "0", "off" -> false;
        default -> throw new ValidationException(key, "must be true or false, was '" + v + "'");
      };
    }

    /** ISO-8601 ({@code PT6S}) or a number with a unit: {@code 500ms}, {@code 6s}, {@code 2m}. */
    Duration duration(String key, Duration dflt) {
      String v = raw(key);
      if (v == null) {
        return dflt;
      }
      try {
        Duration d;
        if (v.matches("\\d+ms")) {
          d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.matches("\\d+[smhd]")) {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          d = switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
        } else {
          d = Duration.parse(v);
        }
        if (d.isNegative()) {
          throw new ValidationException(key, "must not be negative, was " + v);
        }
        return d;
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new ValidationException(key, "must be a duration such as 6s, 500ms, 30d or PT6S, was '" + v + "'");
      }
    }
  }
}
