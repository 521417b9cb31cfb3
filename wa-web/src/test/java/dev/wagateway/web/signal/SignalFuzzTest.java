package dev.wagateway.web.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.KeySource;
import java.security.SecureRandom;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever bytes a peer sends as an enc payload, decryption throws only ProtocolException. */
class SignalFuzzTest {
  private final InMemorySignalStore store;
  private final SignalSessions sessions;
  private final SignalAddress peer = new SignalAddress("4911", 1);
  private final byte[] genuine;

  SignalFuzzTest() {
    KeySource keys = KeySource.secure();
    SecureRandom random = new SecureRandom();
    store = new InMemorySignalStore(keys.nextKeyPair(), 77);
    SignedPreKey signed = SignedPreKey.generate(store.identityKeyPair(), 1, keys, random, Instant.now());
    store.addSignedPreKey(signed);
    store.addPreKey(1, keys.nextKeyPair());
    sessions = new SignalSessions(store, keys);
    InMemorySignalStore other = new InMemorySignalStore(keys.nextKeyPair(), 78);
    SignalSessions sender = new SignalSessions(other, keys);
    sender.processPreKeyBundle(new SignalAddress("4922", 0), new PreKeyBundle(77, 1,
        store.preKey(1).orElseThrow().publicKey(), 1, signed.keyPair().publicKey(), signed.signature(),
        store.identityKeyPair().publicKey()));
    genuine = sender.encrypt(new SignalAddress("4922", 0), WhatsAppPadding.pad(new byte[] {1, 2}, 3)).serialized();
  }

  @Property(tries = 300)
  void randomPayloadsOnlyThrowProtocolException(@ForAll @Size(max = 400) byte[] payload,
      @ForAll boolean preKey) {
    decryptOrProtocolException(payload, preKey);
  }

  @Property(tries = 200)
  void mutatedPreKeyMessagesOnlyThrowProtocolException(@ForAll @Size(min = 1, max = 6) int[] positions,
      @ForAll byte value) {
    SignalFuzzTest fresh = new SignalFuzzTest();
    byte[] mutated = fresh.genuine.clone();
    for (int p : positions) {
      mutated[Math.floorMod(p, mutated.length)] ^= (byte) (value | 1);
    }
    boolean decrypted = fresh.decryptOrProtocolException(mutated, true);
    // the outer registration id and pre-key ids are not MACed (as in Signal): a change there can
    // still decrypt; anything that fails must not have spent the one-time pre-key
    if (!decrypted) {
      assertThat(fresh.store.preKey(1)).as("a failed message does not spend the pre-key").isPresent();
      assertThat(fresh.store.loadSession(peer)).isEmpty();
    }
  }

  private boolean decryptOrProtocolException(byte[] payload, boolean preKey) {
    try {
      sessions.decrypt(peer, new CiphertextMessage(preKey ? CiphertextMessage.Type.PKMSG
          : CiphertextMessage.Type.MSG, payload));
      return true;
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return false;
    }
  }
}
