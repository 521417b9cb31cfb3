package dev.wagateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.ValidationException;
import dev.wagateway.jid.Jid;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.session.SessionId;
import dev.wagateway.session.SessionOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sessions moved between gateways (or into a fresh database) as one encrypted file: the records,
 * credentials included, as JSON, sealed with AES-256-GCM under a key derived from a passphrase
 * (PBKDF2-HMAC-SHA256, 210,000 iterations, a random salt). The storage key of the source is not
 * needed to open it, nor shared with the target.
 *
 * <pre>{"format":"wa-gateway-sessions/1","kdf":"PBKDF2WithHmacSHA256","iterations":210000,
 *  "salt":"…","nonce":"…","sessions":2,"ciphertext":"…"}</pre>
 *
 * Errors name the field ({@code passphrase}, {@code bundle}) and never echo a passphrase.
 */
public final class SessionBundle {
  public static final String FORMAT = "wa-gateway-sessions/1";
  public static final int MIN_PASSPHRASE_LENGTH = 12;
  private static final int ITERATIONS = 210_000;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionBundle() {}

  /** Seals {@code records} (plaintext credentials) into a bundle. */
  public static byte[] seal(List<SessionRecord> records, char[] passphrase) {
    checkPassphrase(passphrase);
    ArrayNode list = MAPPER.createArrayNode();
    for (SessionRecord r : records) {
      ObjectNode n = list.addObject();
      n.put("id", r.id());
      boolean code = r.options().pairing() instanceof PairingMethod.PhoneCode;
      n.put("pairing", code ? "code" : "qr");
      if (code) {
        n.put("pairingPhone", ((PairingMethod.PhoneCode) r.options().pairing()).phoneNumber());
      }
      n.put("autoStart", r.options().autoStart());
      n.put("self", r.self() == null ? null : r.self().asString());
      byte[] creds = r.credentials();
      n.put("credentials", creds == null ? null : Base64.getEncoder().encodeToString(creds));
      n.put("createdAt", r.createdAt().toString()).put("updatedAt", r.updatedAt().toString());
      n.put("pairedAt", r.pairedAt() == null ? null : r.pairedAt().toString());
    }
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    byte[] plain = list.toString().getBytes(StandardCharsets.UTF_8);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key(passphrase, salt, ITERATIONS), new GCMParameterSpec(128, nonce));
      c.updateAAD(FORMAT.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = c.doFinal(plain);
      ObjectNode out = MAPPER.createObjectNode();
      out.put("format", FORMAT).put("kdf", "PBKDF2WithHmacSHA256").put("iterations", ITERATIONS)
          .put("salt", b64(salt)).put("nonce", b64(nonce)).put("sessions", records.size())
          .put("ciphertext", b64(sealed));
      return out.toString().getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens a bundle.
   *
   * @throws ValidationException naming {@code bundle} when it is not a bundle of this format, or
   *     {@code passphrase} when it does not open it (wrong passphrase or altered bundle)
   */
  public static List<SessionRecord> open(byte[] bundle, char[] passphrase) {
    checkPassphrase(passphrase);
    JsonNode n;
    try {
      n = MAPPER.readTree(bundle);
    } catch (IOException e) {
      throw new ValidationException("bundle", "not a session bundle (not JSON)");
    }
    ValidationException.require(n != null && n.isObject() && FORMAT.equals(n.path("format").asText()), "bundle",
        "not a session bundle of format " + FORMAT);
    int iterations = n.path("iterations").asInt(-1);
    ValidationException.require(iterations >= 100_000 && iterations <= MAX_ITERATIONS, "bundle.iterations",
        "must be between 100000 and " + MAX_ITERATIONS);
    byte[] salt = unb64(n, "salt");
    byte[] nonce = unb64(n, "nonce");
    byte[] sealed = unb64(n, "ciphertext");
    ValidationException.require(salt.length >= 16 && nonce.length == 12 && sealed.length > 16, "bundle",
        "salt, nonce or ciphertext has the wrong length");
    byte[] plain;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key(passphrase, salt, iterations), new GCMParameterSpec(128, nonce));
      c.updateAAD(FORMAT.getBytes(StandardCharsets.US_ASCII));
      plain = c.doFinal(sealed);
    } catch (AEADBadTagException e) {
      throw new ValidationException("passphrase", "does not open this bundle (wrong passphrase, or the bundle was altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
    }
    try {
      return records(MAPPER.readTree(plain));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ValidationException v) {
        throw v;
      }
      throw new ValidationException("bundle", "the sealed content is not a list of sessions");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static List<SessionRecord> records(JsonNode list) {
    ValidationException.require(list.isArray(), "bundle", "the sealed content is not a list of sessions");
    List<SessionRecord> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String field = "bundle.sessions[" + i + "]";
      String id = n.path("id").asText(null);
      SessionId.validate(field + ".id", id);
      ValidationException.require(ids.add(id), field + ".id", "session '" + id + "' is in the bundle twice");
      PairingMethod pairing = "code".equals(n.path("pairing").asText())
          ? PairingMethod.phoneCode("+" + n.path("pairingPhone").asText()) : PairingMethod.qr();
      SessionOptions options = SessionOptions.defaults().withPairing(pairing)
          .withAutoStart(n.path("autoStart").asBoolean(true));
      String self = n.hasNonNull("self") ? n.get("self").asText() : null;
      byte[] creds = n.hasNonNull("credentials") ? Base64.getDecoder().decode(n.get("credentials").asText()) : null;
      Instant pairedAt = n.hasNonNull("pairedAt") ? Instant.parse(n.get("pairedAt").asText()) : null;
      out.add(new SessionRecord(id, options, self == null ? null : Jid.parse(field + ".self", self), creds,
          Instant.parse(n.path("createdAt").asText()), Instant.parse(n.path("updatedAt").asText()), pairedAt));
    }
    return out;
  }

  private static void checkPassphrase(char[] passphrase) {
    ValidationException.require(passphrase != null && passphrase.length >= MIN_PASSPHRASE_LENGTH, "passphrase",
        "at least " + MIN_PASSPHRASE_LENGTH + " characters");
  }

  private static SecretKeySpec key(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return new SecretKeySpec(k, "AES");
    } finally {
      spec.clearPassword();
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(JsonNode n, String field) {
    try {
      return Base64.getDecoder().decode(n.path(field).asText(""));
    } catch (IllegalArgumentException e) {
      throw new ValidationException("bundle." + field, "is not base64");
    }
  }
}
