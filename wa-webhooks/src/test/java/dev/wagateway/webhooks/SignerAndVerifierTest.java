package dev.wagateway.webhooks;

import dev.wagateway.net.AddressGuard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SignerAndVerifierTest {
  /** The example vector published with the Standard Webhooks specification. */
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long SPEC_TS = 1614265330L;
  static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Clock AT_SPEC_TIME = Clock.fixed(Instant.ofEpochSecond(SPEC_TS), ZoneOffset.UTC);

  static Map<String, String> ci(Map<String, String> h) {
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    m.putAll(h);
    return m;
  }

  @Test
  void signsTheSpecificationVectorExactly() {
    WebhookSecret secret = WebhookSecret.parse("secret", SPEC_SECRET);
    assertThat(WebhookSigner.standardSignature(secret, SPEC_ID, SPEC_TS, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    // computed independently with Python's hmac module
    assertThat(WebhookSigner.hubSignature(secret, SPEC_BODY))
        .isEqualTo("sha256=e2cb4f5251572539d458bfb8a7adb533b08801e6a794467e06f771debbb0818b");
  }

  @Test
  void verifierAcceptsTheSpecificationVector() {
    WebhookVerifier v = WebhookVerifier.builder().secret(SPEC_SECRET).clock(AT_SPEC_TIME).build();
    Map<String, String> h = ci(Map.of("webhook-id", SPEC_ID, "webhook-timestamp", Long.toString(SPEC_TS),
        "webhook-signature", "v1,bm9wZQ== " + SPEC_SIGNATURE));
    assertThat(v.verify(h::get, SPEC_BODY)).isEqualTo(SPEC_ID);
  }

  @Test
  void verifierAcceptsOurSignaturesAndRejectsTampering() {
    WebhookSecret secret = WebhookSecret.generate();
    byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = ci(WebhookSigner.headers(SignatureMode.STANDARD, List.of(secret), "evt_1", SPEC_TS, body));
    WebhookVerifier v = WebhookVerifier.builder().secret(secret).clock(AT_SPEC_TIME).build();
    assertThat(v.verify(h::get, body)).isEqualTo("evt_1");

    byte[] changed = "{\"id\":\"evt_2\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> v.verify(h::get, changed)).isInstanceOf(WebhookVerificationException.class)
        .hasMessage("no signature matches");
    WebhookVerifier wrong = WebhookVerifier.builder().secret(WebhookSecret.generate()).clock(AT_SPEC_TIME).build();
    assertThatThrownBy(() -> wrong.verify(h::get, body)).hasMessage("no signature matches");
    WebhookVerifier later = WebhookVerifier.builder().secret(secret)
        .clock(Clock.offset(AT_SPEC_TIME, java.time.Duration.ofMinutes(6))).build();
    assertThatThrownBy(() -> later.verify(h::get, body)).hasMessageContaining("outside the tolerance");
    Map<String, String> noSig = ci(Map.of("webhook-id", "evt_1", "webhook-timestamp", "1"));
    assertThatThrownBy(() -> v.verify(noSig::get, body)).hasMessageContaining("missing header");
    Map<String, String> badTs = ci(Map.of("webhook-id", "evt_1", "webhook-timestamp", "soon",
        "webhook-signature", "v1,x"));
    assertThatThrownBy(() -> v.verify(badTs::get, body)).hasMessageContaining("not a number");
  }

  @Test
  void rotationSignsWithEverySecretAndEitherVerifies() {
    WebhookSecret old = WebhookSecret.generate();
    WebhookSecret fresh = WebhookSecret.generate();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = ci(WebhookSigner.headers(SignatureMode.STANDARD, List.of(fresh, old), "evt_9", SPEC_TS, body));
    assertThat(h.get("webhook-signature").split(" ")).hasSize(2);
    for (WebhookSecret s : List.of(old, fresh)) {
      assertThat(WebhookVerifier.builder().secret(s).clock(AT_SPEC_TIME).build().verify(h::get, body)).isEqualTo("evt_9");
    }
  }

  @Test
  void hubModeVerifies() {
    WebhookSecret secret = WebhookSecret.parse("s", SPEC_SECRET);
    Map<String, String> h = ci(WebhookSigner.headers(SignatureMode.HUB_SHA256, List.of(secret), "evt_3", SPEC_TS, SPEC_BODY));
    WebhookVerifier v = WebhookVerifier.builder().secret(secret).mode(SignatureMode.HUB_SHA256).build();
    assertThat(v.verify(h::get, SPEC_BODY)).isEqualTo("evt_3");
    assertThatThrownBy(() -> v.verify(h::get, "{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("no signature matches");
  }

  @Test
  void retryAfterParsesSecondsAndDates() {
    assertThat(DeliverySupport.retryAfter("120")).hasSeconds(120);
    assertThat(DeliverySupport.retryAfter("-5")).isZero();
    assertThat(DeliverySupport.retryAfter("999999999")).hasDays(1);
    assertThat(DeliverySupport.retryAfter("soonish")).isNull();
    assertThat(DeliverySupport.retryAfter(null)).isNull();
    String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
        .format(java.time.ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(61));
    assertThat(DeliverySupport.retryAfter(inAMinute).toSeconds()).isBetween(55L, 61L);
  }

  @Test
  void addressGuardKnowsNonPublicRanges() throws Exception {
    for (String ip : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1", "198.18.0.1")) {
      assertThat(AddressGuard.isPublic(java.net.InetAddress.getByName(ip))).as(ip).isFalse();
    }
    for (String ip : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "100.128.0.1")) {
      assertThat(AddressGuard.isPublic(java.net.InetAddress.getByName(ip))).as(ip).isTrue();
    }
  }
}
