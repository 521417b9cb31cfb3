package dev.wagateway.webhooks;

import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * For receivers: checks a webhook's signature against one or more secrets (several while keys
 * rotate), its timestamp against a tolerance (default 5 min, against replays), and compares in
 * constant time. Works with any HTTP stack: pass a header lookup and the raw body bytes.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret(System.getenv("WEBHOOK_SECRET")).build();
 * verifier.verify(name -> request.getHeader(name), rawBody); // throws WebhookVerificationException
 * }</pre>
 */
public final class WebhookVerifier {
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final List<WebhookSecret> secrets;
  private final Duration tolerance;
  private final Clock clock;
  private final SignatureMode mode;

  private WebhookVerifier(List<WebhookSecret> secrets, Duration tolerance, Clock clock, SignatureMode mode) {
    this.secrets = List.copyOf(secrets);
    this.tolerance = tolerance;
    this.clock = clock;
    this.mode = mode;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies and returns the webhook id (for de-duplication).
   *
   * @param header looks a header up by name, case-insensitively; null when absent
   * @throws WebhookVerificationException saying what failed
   */
  public String verify(Function<String, @Nullable String> header, byte[] body) {
    Objects.requireNonNull(body, "body");
    if (mode == SignatureMode.HUB_SHA256) {
      String given = header.apply(WebhookSigner.HUB_SIGNATURE);
      if (given == null) {
        throw new WebhookVerificationException("missing header " + WebhookSigner.HUB_SIGNATURE);
      }
      for (WebhookSecret s : secrets) {
        if (constantTimeEquals(WebhookSigner.hubSignature(s, body), given.strip().toLowerCase(Locale.ROOT))) {
          String id = header.apply(WebhookSigner.WEBHOOK_ID);
          return id == null ? "" : id;
        }
      }
      throw new WebhookVerificationException("no signature matches");
    }
    String id = header.apply(WebhookSigner.WEBHOOK_ID);
    String ts = header.apply(WebhookSigner.WEBHOOK_TIMESTAMP);
    String sigs = header.apply(WebhookSigner.WEBHOOK_SIGNATURE);
    if (id == null || ts == null || sigs == null) {
      throw new WebhookVerificationException("missing header: webhook-id, webhook-timestamp and"
          + " webhook-signature are required");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(ts.strip());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - timestamp) > tolerance.toSeconds()) {
      throw new WebhookVerificationException("webhook-timestamp is outside the tolerance of "
          + tolerance + " (replayed or clock skew)");
    }
    List<String> offered = new ArrayList<>();
    for (String part : sigs.strip().split(" +")) {
      if (part.startsWith("v1,")) {
        offered.add(part);
      }
    }
    for (WebhookSecret s : secrets) {
      String expected = WebhookSigner.standardSignature(s, id, timestamp, body);
      for (String o : offered) {
        if (constantTimeEquals(expected, o)) {
          return id;
        }
      }
    }
    throw new WebhookVerificationException("no signature matches");
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  /** Configures a {@link WebhookVerifier}. */
  public static final class Builder {
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();
    private SignatureMode mode = SignatureMode.STANDARD;

    /** A secret in the {@code whsec_...} form; add several while rotating. */
    public Builder secret(String whsec) {
      secrets.add(WebhookSecret.parse("secret", whsec));
      return this;
    }

    public Builder secret(WebhookSecret secret) {
      secrets.add(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    public Builder tolerance(Duration tolerance) {
      this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder mode(SignatureMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public WebhookVerifier build() {
      if (secrets.isEmpty()) {
        throw new IllegalStateException("a verifier needs at least one secret");
      }
      return new WebhookVerifier(secrets, tolerance, clock, mode);
    }
  }
}
