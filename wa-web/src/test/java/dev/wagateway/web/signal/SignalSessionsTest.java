package dev.wagateway.web.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.session.SessionOptions;
import dev.wagateway.store.EncryptingSessionStore;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.store.InMemorySessionStore;
import dev.wagateway.store.SessionRecord;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Behaviour beyond the vector: ordering, replays, tampering, bounds, persistence, threads. */
class SignalSessionsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final KeySource keys = KeySource.secure();

  /** A device with its own store, a signed pre-key and ten one-time pre-keys. */
  final class Device {
    final SignalAddress address;
    InMemorySignalStore store;
    SignalSessions sessions;
    final SignedPreKey signed;

    Device(String name) {
      address = new SignalAddress(name, 0);
      KeyPair identity = keys.nextKeyPair();
      store = new InMemorySignalStore(identity, 1 + RANDOM.nextInt(16000));
      signed = SignedPreKey.generate(identity, 1, keys, RANDOM, Instant.now());
      store.addSignedPreKey(signed);
      for (int i = 1; i <= 10; i++) {
        store.addPreKey(i, keys.nextKeyPair());
      }
      sessions = new SignalSessions(store, keys);
    }

    PreKeyBundle bundle(Integer preKeyId) {
      return new PreKeyBundle(store.localRegistrationId(), preKeyId,
          preKeyId == null ? null : store.preKey(preKeyId).orElseThrow().publicKey(),
          signed.id(), signed.keyPair().publicKey(), signed.signature(), store.identityKeyPair().publicKey());
    }

    CiphertextMessage send(Device to, String text) {
      return sessions.encrypt(to.address, WhatsAppPadding.pad(text.getBytes(StandardCharsets.UTF_8), RANDOM));
    }

    String read(Device from, CiphertextMessage m) {
      return new String(WhatsAppPadding.unpad(sessions.decrypt(from.address, m)), StandardCharsets.UTF_8);
    }
  }

  @Test
  void outOfOrderDeliveryAcrossRatchetSteps() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(3));
    CiphertextMessage a0 = alice.send(bob, "a0");
    CiphertextMessage a1 = alice.send(bob, "a1");
    CiphertextMessage a2 = alice.send(bob, "a2");
    assertThat(bob.read(alice, a2)).isEqualTo("a2");
    CiphertextMessage b0 = bob.send(alice, "b0");
    assertThat(b0.type()).isEqualTo(CiphertextMessage.Type.MSG);
    assertThat(alice.read(bob, b0)).isEqualTo("b0");
    CiphertextMessage a3 = alice.send(bob, "a3");
    assertThat(a3.type()).as("answered: no more pre-key messages").isEqualTo(CiphertextMessage.Type.MSG);
    assertThat(bob.read(alice, a3)).isEqualTo("a3");
    // the old chain's messages arrive late, out of order
    assertThat(bob.read(alice, a0)).isEqualTo("a0");
    assertThat(bob.read(alice, a1)).isEqualTo("a1");
    assertThat(bob.store.preKey(3)).isEmpty();
  }

  @Test
  void aReplayIsRefusedAndTheSessionStillWorks() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(1));
    CiphertextMessage first = alice.send(bob, "hello");
    assertThat(bob.read(alice, first)).isEqualTo("hello");
    CiphertextMessage reply = bob.send(alice, "hi");
    alice.read(bob, reply);
    assertThatThrownBy(() -> alice.read(bob, reply))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("repeats counter 0");
    assertThat(alice.read(bob, bob.send(alice, "again"))).isEqualTo("again");
  }

  @Test
  void aTamperedMessageLeavesTheStoredSessionUntouched() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(null));
    bob.read(alice, alice.send(bob, "start"));
    CiphertextMessage good = bob.send(alice, "good");
    byte[] before = alice.store.loadSession(bob.address).orElseThrow().toBytes();
    for (int i = 1; i < good.serialized().length; i += 5) {
      byte[] bad = good.serialized();
      bad[i] ^= 0x01;
      CiphertextMessage tampered = new CiphertextMessage(CiphertextMessage.Type.MSG, bad);
      assertThatThrownBy(() -> alice.read(bob, tampered)).as("byte %d", i).isInstanceOf(ProtocolException.class);
      assertThat(alice.store.loadSession(bob.address).orElseThrow().toBytes()).isEqualTo(before);
    }
    assertThat(alice.read(bob, good)).isEqualTo("good");
  }

  @Test
  void skippingIsBounded() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(1));
    bob.read(alice, alice.send(bob, "start"));
    CiphertextMessage last = null;
    for (int i = 0; i <= SessionState.MAX_SKIP + 1; i++) {
      last = alice.send(bob, "m" + i);
    }
    CiphertextMessage tooFar = last;
    assertThatThrownBy(() -> bob.read(alice, tooFar))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("ahead");
  }

  @Test
  void unknownPreKeysAndBadBundlesAreNamed() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    PreKeyBundle bundle = bob.bundle(2);
    byte[] sig = bundle.signedPreKeySignature();
    sig[0] ^= 1;
    PreKeyBundle forged = new PreKeyBundle(bundle.registrationId(), bundle.preKeyId(), bundle.preKey(),
        bundle.signedPreKeyId(), bundle.signedPreKey(), sig, bundle.identityKey());
    assertThatThrownBy(() -> alice.sessions.processPreKeyBundle(bob.address, forged))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("signature does not verify");
    alice.sessions.processPreKeyBundle(bob.address, bundle);
    bob.store.removePreKey(2);
    CiphertextMessage m = alice.send(bob, "x");
    assertThatThrownBy(() -> bob.read(alice, m))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("pre-key 2");
    assertThatThrownBy(() -> bob.sessions.encrypt(alice.address, new byte[] {1}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("no Signal session");
    assertThatThrownBy(() -> bob.sessions.decrypt(alice.address,
        new CiphertextMessage(CiphertextMessage.Type.MSG, new byte[] {0x23, 1, 2})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("version 2");
  }

  @Test
  void aLongRandomConversationSurvivesPersistenceAndEncryptionAtRest() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(5));
    EncryptingSessionStore rest = new EncryptingSessionStore(new InMemorySessionStore(),
        EncryptionKeys.of("k1", Base64.getEncoder().encodeToString(new byte[32])));
    Random random = new Random(42);
    List<CiphertextMessage> toBob = new ArrayList<>();
    List<CiphertextMessage> toAlice = new ArrayList<>();
    List<String> sentToBob = new ArrayList<>();
    List<String> readByBob = new ArrayList<>();
    boolean bobHeard = false;
    for (int round = 0; round < 300; round++) {
      int action = random.nextInt(5);
      if (action <= 1) {
        String text = "to bob " + round;
        toBob.add(alice.send(bob, text));
        sentToBob.add(text);
      } else if (action == 2 && bobHeard) {
        toAlice.add(bob.send(alice, "to alice " + round));
      } else if (action == 3 && !toBob.isEmpty()) {
        Collections.shuffle(toBob, random);
        for (CiphertextMessage m : toBob) {
          readByBob.add(bob.read(alice, m));
        }
        toBob.clear();
        bobHeard = true;
      } else if (action == 4) {
        for (CiphertextMessage m : toAlice) {
          assertThat(alice.read(bob, m)).startsWith("to alice");
        }
        toAlice.clear();
        // both devices restart from their stored, encrypted credentials
        bob = restart(bob, rest);
        alice = restart(alice, rest);
      }
    }
    for (CiphertextMessage m : toBob) {
      readByBob.add(bob.read(alice, m));
    }
    assertThat(readByBob).containsExactlyInAnyOrderElementsOf(sentToBob);
  }

  private Device restart(Device device, EncryptingSessionStore rest) {
    byte[] blob = device.store.toBytes();
    rest.save(SessionRecord.create(device.address.name(), SessionOptions.defaults(), Instant.now())
        .paired(dev.wagateway.jid.Jid.ofPhone("+" + device.address.name() + "0000000"), blob, Instant.now()));
    byte[] loaded = rest.load(device.address.name()).orElseThrow().credentials();
    assertThat(loaded).isEqualTo(blob);
    device.store = InMemorySignalStore.fromBytes(loaded);
    device.sessions = new SignalSessions(device.store, keys);
    return device;
  }

  @Test
  void aPeerThatReinstalledIsAcceptedAndReportedOnce() {
    Device alice = new Device("4911");
    Device bob = new Device("4922");
    List<SignalAddress> changed = new ArrayList<>();
    bob.sessions = new SignalSessions(bob.store, keys, changed::add);
    alice.sessions.processPreKeyBundle(bob.address, bob.bundle(1));
    bob.read(alice, alice.send(bob, "first install"));
    assertThat(changed).as("a first identity is not a change").isEmpty();
    // alice reinstalls: same address, new identity and keys
    Device reinstalled = new Device("4911");
    reinstalled.sessions.processPreKeyBundle(bob.address, bob.bundle(2));
    assertThat(bob.read(reinstalled, reinstalled.send(bob, "second install"))).isEqualTo("second install");
    assertThat(changed).containsExactly(reinstalled.address);
    bob.read(reinstalled, reinstalled.send(bob, "again"));
    assertThat(changed).hasSize(1);
  }

  @Test
  void manyThreadsTalkingToManyPeersAtOnce() throws Exception {
    Device hub = new Device("4900");
    List<Device> peers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Device peer = new Device("49" + (10 + i));
      hub.sessions.processPreKeyBundle(peer.address, peer.bundle(1 + i % 10));
      peers.add(peer);
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (Device peer : peers) {
        // two threads per peer: the hub's sends to one peer are serialised by the session lock
        for (int t = 0; t < 2; t++) {
          results.add(pool.submit(() -> {
            int ok = 0;
            for (int i = 0; i < 50; i++) {
              CiphertextMessage m = hub.send(peer, "n" + i);
              synchronized (peer) {
                peer.read(hub, m);
              }
              ok++;
            }
            return ok;
          }));
        }
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(8 * 2 * 50);
    } finally {
      pool.shutdownNow();
    }
  }
}
