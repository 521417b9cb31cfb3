package dev.wagateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @Test
  void defaultsNeedNothing() {
    ServerConfig c = ServerConfig.load(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.wsPort()).isEqualTo(8081);
    assertThat(c.usesDevKey()).isTrue();
    assertThat(c.devEndpoints()).isTrue();
    assertThat(c.store()).isEqualTo("sqlite");
    assertThat(c.dbPath()).isEqualTo(java.nio.file.Path.of("data/wa.db"));
    assertThat(c.pacing().ratePerSecond()).isEqualTo(5);
    assertThat(new ApiKeys(c.apiKeys()).authenticate(ServerConfig.DEV_ADMIN_KEY).admin()).isTrue();
  }

  @Test
  void everyBadValueNamesItsVariable() {
    assertBad(Map.of("WA_PORT", "eighty"), "WA_PORT", "whole number");
    assertBad(Map.of("WA_PORT", "70000"), "WA_PORT", "between 0 and 65535");
    assertBad(Map.of("WA_ENGINE", "cloud"), "WA_ENGINE", "cloudapi");
    assertBad(Map.of("WA_RECIPIENT_GAP", "soon"), "WA_RECIPIENT_GAP", "duration");
    assertBad(Map.of("WA_DEV_ENDPOINTS", "maybe"), "WA_DEV_ENDPOINTS", "true or false");
    assertBad(Map.of("WA_PACING_RATE", "-1"), "WA_PACING_RATE", "between");
    assertBad(Map.of("WA_API_KEYS", "admin:short"), "WA_API_KEYS[0]", "at least 16");
    assertBad(Map.of("WA_API_KEYS", "admin:aaaaaaaaaaaaaaaaaaaa,root:bbbbbbbbbbbbbbbbbbbb"), "WA_API_KEYS[1]",
        "admin:<key> or session:");
    assertBad(Map.of("WA_API_KEYS", "session:bad id:bbbbbbbbbbbbbbbbbbbb"), "WA_API_KEYS[0]", "session id");
    assertBad(Map.of("WA_STORE", "mysql"), "WA_STORE", "one of");
    assertBad(Map.of("WA_STORE", "postgresql"), "WA_DB_URL", "jdbc:postgresql://");
    assertBad(Map.of("WA_STORE", "postgresql", "WA_DB_URL", "jdbc:postgresql://db/wa"), "WA_ENCRYPTION_KEY",
        "every instance shares");
    assertBad(Map.of("WA_DB_URL", "jdbc:postgresql://db/wa"), "WA_DB_URL", "only read with WA_STORE=postgresql");
    assertBad(Map.of("WA_INSTANCE_ID", "gw-1"), "WA_INSTANCE_ID", "WA_STORE=postgresql");
    assertBad(Map.of("WA_STORE", "postgresql", "WA_DB_URL", "jdbc:postgresql://db/wa", "WA_ENCRYPTION_KEY",
        "AAAAAAAAAAAAAAAAAAAAAA==", "WA_INSTANCE_ID", "gw 1"), "WA_INSTANCE_ID", "letters, digits");
  }

  @Test
  void theWebEngineTalksToWhatsAppUnlessToldOtherwise() {
    ServerConfig c = ServerConfig.load(Map.of("WA_ENGINE", "web"));
    assertThat(c.web()).isNotNull();
    assertThat(c.web().url()).isEqualTo(dev.wagateway.web.WebEngineConfig.DEFAULT_URL);
    assertThat(c.devEndpoints()).as("no simulated scans on a real engine").isFalse();
    ServerConfig mock = ServerConfig.load(Map.of("WA_ENGINE", "web", "WA_WEB_URL", "ws://127.0.0.1:5222/ws/chat",
        "WA_WEB_ROOT_KEY", "468c3ccc1cd1a2a512e40b01fbe05eebc3e9021fa3fd0eec76b6cf2bc436fb28"));
    assertThat(mock.web().url().toString()).isEqualTo("ws://127.0.0.1:5222/ws/chat");
    assertThat(ServerConfig.load(Map.of()).web()).isNull();
    assertBad(Map.of("WA_ENGINE", "web", "WA_WEB_URL", "http://x"), "WA_WEB_URL", "ws://");
    assertBad(Map.of("WA_ENGINE", "web", "WA_WEB_ROOT_KEY", "abc"), "WA_WEB_ROOT_KEY", "64 hex digits");
  }

  static void assertBad(Map<String, String> env, String field, String part) {
    assertThatThrownBy(() -> ServerConfig.load(env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining(part).extracting(e -> ((ValidationException) e).field()).isEqualTo(field);
  }

  @Test
  void aFileGivesSettingsAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("wa.properties");
    Files.writeString(f, "WA_PORT=9000\nWA_RECIPIENT_GAP=2s\nWA_RATE_LIMIT=5\n");
    ServerConfig c = ServerConfig.load(Map.of("WA_CONFIG", f.toString(), "WA_PORT", "9100"));
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.pacing().recipientGap()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.rateLimitPerSecond()).isEqualTo(5);
    Files.writeString(f, "WA_PORTT=9000\n");
    assertBad(Map.of("WA_CONFIG", f.toString()), "WA_PORTT", "unknown setting");
    assertBad(Map.of("WA_CONFIG", dir.resolve("missing").toString()), "WA_CONFIG", "cannot read");
  }

  @Test
  void noKeyOrSecretIsPrinted() {
    String key = "admin-secret-key-123456";
    ServerConfig c = ServerConfig.load(Map.of("WA_API_KEYS", "admin:" + key + ",session:s1:session-key-abcdefghij",
        "WA_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    assertThat(c.toString()).doesNotContain(key).doesNotContain("session-key-abcdefghij")
        .doesNotContain("AAAAAAAA").contains("encryption=on").contains("session:s1#");
    assertThat(c.apiKeys().get(0).toString()).doesNotContain(key);
    ApiKeys keys = new ApiKeys(c.apiKeys());
    assertThat(keys.authenticate(key).admin()).isTrue();
    assertThat(keys.authenticate("session-key-abcdefghij").sessionId()).isEqualTo("s1");
    assertThat(keys.authenticate(key + "x")).isNull();
    assertThat(keys.authenticate(ServerConfig.DEV_ADMIN_KEY)).as("the dev key is off once keys are set").isNull();
  }

  @Test
  void mediaSettingsAreCheckedAndNamed() {
    ServerConfig fs = ServerConfig.load(Map.of());
    assertThat(fs.mediaDir()).isEqualTo(java.nio.file.Path.of("data/media"));
    assertThat(fs.mediaS3()).isNull();
    assertThat(ServerConfig.load(Map.of("WA_MEDIA", "off")).mediaDir()).isNull();
    ServerConfig s3 = ServerConfig.load(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media",
        "WA_MEDIA_S3_ENDPOINT", "http://minio:9000", "WA_MEDIA_S3_ACCESS_KEY", "minio", "WA_MEDIA_S3_SECRET_KEY",
        "minio-secret-123"));
    assertThat(s3.mediaDir()).isNull();
    assertThat(s3.mediaS3().toString()).contains("wa-media").doesNotContain("minio-secret-123");
    assertBad(Map.of("WA_MEDIA", "s3"), "WA_MEDIA_S3_BUCKET", "needs a bucket");
    // the S3 builder's own checks come out named as the variable an operator sets
    assertBad(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "Bad_Bucket"), "WA_MEDIA_S3_BUCKET", "bucket name");
    assertBad(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media", "WA_MEDIA_S3_REGION", "EU WEST"),
        "WA_MEDIA_S3_REGION", "a region such as");
    assertBad(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media", "WA_MEDIA_S3_PREFIX", "/abs"),
        "WA_MEDIA_S3_PREFIX", "each ending in '/'");
    assertBad(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media", "WA_MEDIA_S3_ENDPOINT", "minio:9000"),
        "WA_MEDIA_S3_ENDPOINT", "URL");
    assertBad(Map.of("WA_MEDIA", "s3", "WA_MEDIA_S3_BUCKET", "wa-media", "WA_MEDIA_S3_ACCESS_KEY", "k"),
        "WA_MEDIA_S3_SECRET_KEY", "both keys");
    assertBad(Map.of("WA_MEDIA_S3_BUCKET", "wa-media"), "WA_MEDIA_S3_BUCKET", "only read with WA_MEDIA=s3");
    assertBad(Map.of("WA_MEDIA", "tape"), "WA_MEDIA", "filesystem");
    assertBad(Map.of("WA_PUBLIC_URL", "wa.example.com"), "WA_PUBLIC_URL", "http(s) URL");
    assertBad(Map.of("WA_MEDIA_RETENTION", "forever"), "WA_MEDIA_RETENTION", "duration");
  }
}
