package dev.wagateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.StoreException;
import dev.wagateway.ValidationException;
import dev.wagateway.jid.Jid;
import dev.wagateway.session.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EncryptingSessionStoreTest {
  static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  static final String KEY_B = Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  static final byte[] SECRET = "noise-key:7f3a9c0e-very-secret-credential".getBytes(StandardCharsets.UTF_8);

  /** The whole store contract holds through the encrypting wrapper too. */
  @Nested
  class Contract extends SessionStoreContract {
    @Override
    protected SessionStore createStore() {
      return new EncryptingSessionStore(new InMemorySessionStore(), EncryptionKeys.of("k1", KEY_A));
    }
  }

  private static SessionRecord withSecret(String id) {
    return SessionRecord.create(id, SessionOptions.defaults(), SessionStoreContract.T0)
        .withCredentials(Jid.ofPhone("+491701234567"), SECRET, SessionStoreContract.T0);
  }

  @Test
  void secretIsNotInTheStoredBytes() {
    InMemorySessionStore raw = new InMemorySessionStore();
    new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A)).save(withSecret("s1"));
    byte[] stored = raw.load("s1").orElseThrow().credentials();
    assertThat(stored).isNotNull();
    String asText = new String(stored, StandardCharsets.ISO_8859_1);
    assertThat(asText).doesNotContain("very-secret").doesNotContain("noise-key");
    assertThat(indexOf(stored, SECRET)).isEqualTo(-1);
    // AES-GCM adds a 16-byte tag and a 12-byte nonce: the blob is longer than the secret
    assertThat(stored.length).isGreaterThan(SECRET.length + 16 + 12);
  }

  @Test
  void decryptsWithTheRightKey() {
    InMemorySessionStore raw = new InMemorySessionStore();
    SessionStore enc = new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A));
    enc.save(withSecret("s1"));
    assertThat(enc.load("s1").orElseThrow().credentials()).containsExactly(SECRET);
  }

  @Test
  void wrongKeyGivesAClearErrorNotGarbage() {
    InMemorySessionStore raw = new InMemorySessionStore();
    new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A)).save(withSecret("s1"));
    SessionStore wrong = new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_B));
    assertThatThrownBy(() -> wrong.load("s1"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("session 's1'")
        .hasMessageContaining("key is wrong or the data was altered")
        .hasMessageNotContaining(KEY_A).hasMessageNotContaining(KEY_B);
  }

  @Test
  void unknownKeyIdIsNamed() {
    InMemorySessionStore raw = new InMemorySessionStore();
    new EncryptingSessionStore(raw, EncryptionKeys.of("old", KEY_A)).save(withSecret("s1"));
    SessionStore other = new EncryptingSessionStore(raw, EncryptionKeys.of("new", KEY_B));
    assertThatThrownBy(() -> other.load("s1"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("key 'old', which is not configured");
  }

  @Test
  void tamperedCiphertextIsRefused() {
    InMemorySessionStore raw = new InMemorySessionStore();
    SessionStore enc = new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A));
    enc.save(withSecret("s1"));
    SessionRecord stored = raw.load("s1").orElseThrow();
    byte[] blob = stored.credentials();
    blob[blob.length - 1] ^= 1;
    raw.save(stored.withCredentials(stored.self(), blob, stored.updatedAt()));
    assertThatThrownBy(() -> enc.load("s1")).isInstanceOf(StoreException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void credentialsCopiedToAnotherSessionDoNotDecrypt() {
    InMemorySessionStore raw = new InMemorySessionStore();
    SessionStore enc = new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A));
    enc.save(withSecret("s1"));
    SessionRecord stolen = raw.load("s1").orElseThrow();
    raw.save(SessionRecord.create("s2", SessionOptions.defaults(), SessionStoreContract.T0)
        .withCredentials(stolen.self(), stolen.credentials(), SessionStoreContract.T0));
    assertThatThrownBy(() -> enc.load("s2")).isInstanceOf(StoreException.class);
  }

  @Test
  void plaintextLeftByAnUnencryptedStoreIsReportedNotMisread() {
    InMemorySessionStore raw = new InMemorySessionStore();
    raw.save(withSecret("s1"));
    SessionStore enc = new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A));
    assertThatThrownBy(() -> enc.load("s1")).isInstanceOf(StoreException.class)
        .hasMessageContaining("not in the encrypted format");
  }

  @Test
  void keysRotate() {
    InMemorySessionStore raw = new InMemorySessionStore();
    new EncryptingSessionStore(raw, EncryptionKeys.of("k1", KEY_A)).save(withSecret("s1"));
    EncryptionKeys both = EncryptionKeys.builder().add("k1", KEY_A).add("k2", KEY_B).current("k2").build();
    EncryptingSessionStore rotated = new EncryptingSessionStore(raw, both);
    // old records still decrypt while both keys are configured
    assertThat(rotated.load("s1").orElseThrow().credentials()).containsExactly(SECRET);
    assertThat(rotated.reencryptAll()).isEqualTo(1);
    assertThat(rotated.reencryptAll()).isZero();
    // now only k2 is needed
    SessionStore onlyNew = new EncryptingSessionStore(raw, EncryptionKeys.of("k2", KEY_B));
    assertThat(onlyNew.load("s1").orElseThrow().credentials()).containsExactly(SECRET);
  }

  @Test
  void badKeysAreRejectedNamingTheFieldWithoutEchoingTheKey() {
    assertThatThrownBy(() -> EncryptionKeys.of("k1", "not base64 !!"))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("encryption.key:")
        .hasMessageNotContaining("not base64 !!");
    assertThatThrownBy(() -> EncryptionKeys.of("k1", Base64.getEncoder().encodeToString(new byte[7])))
        .isInstanceOf(ValidationException.class).hasMessageContaining("16, 24 or 32 bytes");
    assertThatThrownBy(() -> EncryptionKeys.of("bad id", KEY_A))
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("encryption.keyId:");
  }

  @Test
  void toStringsShowNoSecrets() {
    EncryptionKeys keys = EncryptionKeys.of("k1", KEY_B);
    assertThat(keys.toString()).contains("k1").doesNotContain(KEY_B);
    assertThat(withSecret("s1").toString()).contains("redacted")
        .doesNotContain(new String(SECRET, StandardCharsets.UTF_8)).doesNotContain("1701234567");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
