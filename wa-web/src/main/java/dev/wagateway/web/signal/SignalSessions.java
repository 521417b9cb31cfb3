package dev.wagateway.web.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.Aes;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.Curve25519;
import dev.wagateway.web.crypto.Hashes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.crypto.XEdDsa;
import dev.wagateway.web.proto.WaProto.PreKeySignalMessage;
import dev.wagateway.web.proto.WaProto.SignalMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Signal 1:1 sessions (protocol version 3) over a {@link SignalStore}: X3DH as initiator ({@link
 * #processPreKeyBundle}) and as responder (the first {@link CiphertextMessage.Type#PKMSG} from a
 * peer), the double ratchet, and out-of-order delivery with at most {@value SessionState#MAX_SKIP}
 * skipped keys per chain.
 *
 * <p>Every operation on one address is serialised; different addresses run in parallel. A message
 * that fails (bad MAC, replay, unknown pre-key) throws {@link ProtocolException} and leaves the
 * stored session exactly as it was.
 */
public final class SignalSessions {
  static final int VERSION = 3;
  private static final byte VERSION_BYTE = (byte) (VERSION << 4 | VERSION);
  private static final byte[] DISCONTINUITY = filled(32, (byte) 0xff);
  private static final byte[] ZERO_SALT = new byte[32];
  private static final byte[] TEXT_INFO = "WhisperText".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RATCHET_INFO = "WhisperRatchet".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEYS_INFO = "WhisperMessageKeys".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_LENGTH = 8;

  private final SignalStore store;
  private final KeySource keys;
  private final java.util.function.Consumer<SignalAddress> identityChanged;
  private final ConcurrentHashMap<SignalAddress, Object> locks = new ConcurrentHashMap<>();

  public SignalSessions(SignalStore store, KeySource keys) {
    this(store, keys, address -> {});
  }

  /**
   * @param identityChanged told when a peer device's identity key replaces a different one (the
   *     peer reinstalled); the new key is accepted, as WhatsApp clients do
   */
  public SignalSessions(SignalStore store, KeySource keys,
      java.util.function.Consumer<SignalAddress> identityChanged) {
    this.store = store;
    this.keys = keys;
    this.identityChanged = identityChanged;
  }

  /** Starts a session with a peer device from its pre-key bundle (we are the initiator). */
  public void processPreKeyBundle(SignalAddress address, PreKeyBundle bundle) {
    byte[] theirIdentity = key(bundle.identityKey(), "bundle identity key");
    byte[] theirSigned = key(bundle.signedPreKey(), "bundle signed pre-key");
    if (!XEdDsa.verify(theirIdentity, Curve25519.withPrefix(theirSigned), bundle.signedPreKeySignature())) {
      throw new ProtocolException("pre-key bundle for " + address + ": the signed pre-key's signature"
          + " does not verify");
    }
    byte[] theirOneTime = bundle.preKey() == null ? null : key(bundle.preKey(), "bundle pre-key");
    synchronized (lock(address)) {
      KeyPair ours = store.identityKeyPair();
      KeyPair base = keys.nextKeyPair();
      byte[] secret = Bytes.concat(DISCONTINUITY,
          Curve25519.agree(ours.privateKey(), theirSigned),
          Curve25519.agree(base.privateKey(), theirIdentity),
          Curve25519.agree(base.privateKey(), theirSigned),
          theirOneTime == null ? new byte[0] : Curve25519.agree(base.privateKey(), theirOneTime));
      byte[] root = Arrays.copyOf(Hashes.hkdf(secret, ZERO_SALT, TEXT_INFO, 64), 32);
      KeyPair ratchet = keys.nextKeyPair();
      byte[][] step = ratchetKdf(root, Curve25519.agree(ratchet.privateKey(), theirSigned));
      SessionState state = new SessionState(ours.publicKey(), theirIdentity, step[0], ratchet,
          bundle.registrationId(), base.publicKey());
      state.sendingChain = new SessionState.Chain(ratchet.publicKey(), step[1], -1);
      state.lastRemoteRatchet = theirSigned;
      state.pending = new SessionState.Pending(bundle.preKeyId(), bundle.signedPreKeyId(), base.publicKey());
      SessionRecord record = store.loadSession(address).orElse(SessionRecord.empty());
      saveIdentity(address, theirIdentity);
      store.storeSession(address, record.promote(state));
    }
  }

  public boolean hasSession(SignalAddress address) {
    return store.loadSession(address).map(SessionRecord::hasCurrentSession).orElse(false);
  }

  /** Encrypts a (padded) plaintext for the peer; a pre-key message until the peer has answered. */
  public CiphertextMessage encrypt(SignalAddress address, byte[] plaintext) {
    synchronized (lock(address)) {
      SessionRecord record = store.loadSession(address).orElse(null);
      SessionState state = record == null ? null : record.current();
      if (state == null || state.sendingChain == null) {
        throw new ProtocolException("no Signal session with " + address + " to encrypt for");
      }
      SessionState.Chain chain = state.sendingChain;
      byte[] seed = advance(chain);
      byte[][] mk = messageKeys(seed);
      SignalMessage body = SignalMessage.newBuilder()
          .setRatchetKey(ByteString.copyFrom(Curve25519.withPrefix(state.senderRatchet.publicKey())))
          .setCounter(chain.counter)
          .setPreviousCounter(state.previousCounter)
          .setCiphertext(ByteString.copyFrom(Aes.cbcEncrypt(mk[0], mk[2], plaintext)))
          .build();
      byte[] versioned = Bytes.concat(new byte[] {VERSION_BYTE}, body.toByteArray());
      byte[] mac = mac(mk[1], state.localIdentity, state.remoteIdentity, versioned);
      byte[] message = Bytes.concat(versioned, mac);
      CiphertextMessage result;
      if (state.pending != null) {
        PreKeySignalMessage.Builder pk = PreKeySignalMessage.newBuilder()
            .setRegistrationId(store.localRegistrationId())
            .setSignedPreKeyId(state.pending.signedPreKeyId())
            .setBaseKey(ByteString.copyFrom(Curve25519.withPrefix(state.pending.baseKey())))
            .setIdentityKey(ByteString.copyFrom(Curve25519.withPrefix(state.localIdentity)))
            .setMessage(ByteString.copyFrom(message));
        if (state.pending.preKeyId() != null) {
          pk.setPreKeyId(state.pending.preKeyId());
        }
        result = new CiphertextMessage(CiphertextMessage.Type.PKMSG,
            Bytes.concat(new byte[] {VERSION_BYTE}, pk.build().toByteArray()));
      } else {
        result = new CiphertextMessage(CiphertextMessage.Type.MSG, message);
      }
      store.storeSession(address, record.withCurrent(state));
      return result;
    }
  }

  /** Decrypts a message from the peer; the result still carries WhatsApp's padding. */
  public byte[] decrypt(SignalAddress address, CiphertextMessage message) {
    synchronized (lock(address)) {
      return message.type() == CiphertextMessage.Type.PKMSG
          ? decryptPreKeyMessage(address, message.serialized())
          : decryptMessage(address, message.serialized());
    }
  }

  private byte[] decryptPreKeyMessage(SignalAddress address, byte[] serialized) {
    requireVersion(serialized, "pre-key message");
    PreKeySignalMessage m;
    try {
      m = PreKeySignalMessage.parseFrom(Arrays.copyOfRange(serialized, 1, serialized.length));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("pre-key message from " + address + " does not parse");
    }
    if (!m.hasBaseKey() || !m.hasIdentityKey() || !m.hasMessage() || !m.hasSignedPreKeyId()) {
      throw new ProtocolException("pre-key message from " + address + " lacks a required field");
    }
    byte[] theirIdentity = Curve25519.withoutPrefix(m.getIdentityKey().toByteArray());
    byte[] theirBase = Curve25519.withoutPrefix(m.getBaseKey().toByteArray());
    SessionRecord record = store.loadSession(address).orElse(SessionRecord.empty());

    // a repeated pre-key message (the peer has not heard from us yet) uses the session it made
    SessionState current = record.current();
    if (current != null && Arrays.equals(current.baseKey, theirBase)) {
      byte[] plaintext = decryptWith(current, m.getMessage().toByteArray(), address);
      store.storeSession(address, record.withCurrent(current));
      return plaintext;
    }
    List<SessionState> previous = record.previous();
    for (int i = 0; i < previous.size(); i++) {
      if (Arrays.equals(previous.get(i).baseKey, theirBase)) {
        SessionState state = previous.get(i);
        byte[] plaintext = decryptWith(state, m.getMessage().toByteArray(), address);
        store.storeSession(address, record.withPreviousPromoted(i, state));
        return plaintext;
      }
    }

    SignedPreKey signed = store.signedPreKey(m.getSignedPreKeyId()).orElseThrow(() ->
        new ProtocolException("pre-key message from " + address + " names signed pre-key "
            + m.getSignedPreKeyId() + ", which we do not have"));
    KeyPair oneTime = null;
    if (m.hasPreKeyId()) {
      oneTime = store.preKey(m.getPreKeyId()).orElseThrow(() ->
          new ProtocolException("pre-key message from " + address + " names pre-key "
              + m.getPreKeyId() + ", which is unknown or already used"));
    }
    KeyPair ours = store.identityKeyPair();
    byte[] secret = Bytes.concat(DISCONTINUITY,
        Curve25519.agree(signed.keyPair().privateKey(), theirIdentity),
        Curve25519.agree(ours.privateKey(), theirBase),
        Curve25519.agree(signed.keyPair().privateKey(), theirBase),
        oneTime == null ? new byte[0] : Curve25519.agree(oneTime.privateKey(), theirBase));
    byte[] root = Arrays.copyOf(Hashes.hkdf(secret, ZERO_SALT, TEXT_INFO, 64), 32);
    SessionState state = new SessionState(ours.publicKey(), theirIdentity, root, signed.keyPair(),
        m.getRegistrationId(), theirBase);
    byte[] plaintext = decryptWith(state, m.getMessage().toByteArray(), address);
    saveIdentity(address, theirIdentity);
    store.storeSession(address, record.promote(state));
    if (m.hasPreKeyId()) {
      store.removePreKey(m.getPreKeyId());
    }
    return plaintext;
  }

  private byte[] decryptMessage(SignalAddress address, byte[] serialized) {
    requireVersion(serialized, "message");
    SessionRecord record = store.loadSession(address).orElseThrow(() ->
        new ProtocolException("a message from " + address + " without a Signal session"));
    List<String> failures = new ArrayList<>();
    SessionState current = record.current();
    if (current != null) {
      try {
        byte[] plaintext = decryptWith(current, serialized, address);
        store.storeSession(address, record.withCurrent(current));
        return plaintext;
      } catch (ProtocolException e) {
        failures.add(e.getMessage());
      }
    }
    List<SessionState> previous = record.previous();
    for (int i = 0; i < previous.size(); i++) {
      try {
        SessionState state = previous.get(i);
        byte[] plaintext = decryptWith(state, serialized, address);
        store.storeSession(address, record.withPreviousPromoted(i, state));
        return plaintext;
      } catch (ProtocolException e) {
        failures.add(e.getMessage());
      }
    }
    throw new ProtocolException(failures.isEmpty()
        ? "a message from " + address + " without a Signal session"
        : failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1)
            + " earlier sessions failed too)" : ""));
  }

  /** Decrypts one SignalMessage on a working copy of a session; throws before any commit. */
  private byte[] decryptWith(SessionState state, byte[] serialized, SignalAddress address) {
    requireVersion(serialized, "message");
    if (serialized.length < 1 + MAC_LENGTH + 1) {
      throw new ProtocolException("a message from " + address + " is too short");
    }
    byte[] versioned = Arrays.copyOf(serialized, serialized.length - MAC_LENGTH);
    byte[] theirMac = Arrays.copyOfRange(serialized, serialized.length - MAC_LENGTH, serialized.length);
    SignalMessage m;
    try {
      m = SignalMessage.parseFrom(Arrays.copyOfRange(versioned, 1, versioned.length));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("a message from " + address + " does not parse");
    }
    if (!m.hasRatchetKey() || !m.hasCounter() || !m.hasCiphertext()) {
      throw new ProtocolException("a message from " + address + " lacks a required field");
    }
    byte[] ratchetKey = Curve25519.withoutPrefix(m.getRatchetKey().toByteArray());
    stepRatchetIfNew(state, ratchetKey, m.getPreviousCounter());
    SessionState.Chain chain = state.receivingChain(ratchetKey);
    if (chain == null) {
      throw new ProtocolException("a message from " + address + " on an unknown chain");
    }
    byte[] seed = seedFor(chain, m.getCounter(), address);
    byte[][] mk = messageKeys(seed);
    byte[] ourMac = mac(mk[1], state.remoteIdentity, state.localIdentity, versioned);
    if (!MessageDigest.isEqual(ourMac, theirMac)) {
      throw new ProtocolException("a message from " + address + " fails its MAC");
    }
    byte[] plaintext = Aes.cbcDecrypt(mk[0], mk[2], m.getCiphertext().toByteArray());
    state.pending = null;
    return plaintext;
  }

  private void saveIdentity(SignalAddress address, byte[] identity) {
    if (store.saveIdentity(address, identity)) {
      identityChanged.accept(address);
    }
  }

  private void stepRatchetIfNew(SessionState state, byte[] theirRatchet, int previousCounter) {
    if (state.receivingChain(theirRatchet) != null) {
      return;
    }
    if (state.lastRemoteRatchet != null) {
      SessionState.Chain last = state.receivingChain(state.lastRemoteRatchet);
      if (last != null && last.chainKey != null) {
        // keep the keys of messages still in flight on the old chain, then close it
        if (previousCounter - last.counter > SessionState.MAX_SKIP) {
          throw new ProtocolException("a message claims more than " + SessionState.MAX_SKIP
              + " messages in flight on the previous chain");
        }
        while (last.counter < previousCounter) {
          SessionState.putSkipped(last, last.counter + 1, advance(last));
        }
        last.chainKey = null;
      }
    }
    byte[][] receiving = ratchetKdf(state.rootKey, Curve25519.agree(state.senderRatchet.privateKey(), theirRatchet));
    state.rootKey = receiving[0];
    state.addReceivingChain(new SessionState.Chain(theirRatchet, receiving[1], -1));
    if (state.sendingChain != null) {
      state.previousCounter = Math.max(state.sendingChain.counter, 0);
    }
    KeyPair ratchet = keys.nextKeyPair();
    byte[][] sending = ratchetKdf(state.rootKey, Curve25519.agree(ratchet.privateKey(), theirRatchet));
    state.rootKey = sending[0];
    state.senderRatchet = ratchet;
    state.sendingChain = new SessionState.Chain(ratchet.publicKey(), sending[1], -1);
    state.lastRemoteRatchet = theirRatchet;
  }

  private static byte[] seedFor(SessionState.Chain chain, int counter, SignalAddress address) {
    if (counter <= chain.counter) {
      byte[] seed = chain.skipped.remove(counter);
      if (seed == null) {
        throw new ProtocolException("a message from " + address + " repeats counter " + counter);
      }
      return seed;
    }
    if (chain.chainKey == null) {
      throw new ProtocolException("a message from " + address + " on a closed chain");
    }
    if (counter - chain.counter > SessionState.MAX_SKIP) {
      throw new ProtocolException("a message from " + address + " is more than "
          + SessionState.MAX_SKIP + " messages ahead");
    }
    while (chain.counter < counter - 1) {
      SessionState.putSkipped(chain, chain.counter + 1, advance(chain));
    }
    return advance(chain);
  }

  /** The next message-key seed of a chain; the chain moves on one step. */
  private static byte[] advance(SessionState.Chain chain) {
    byte[] ck = chain.chainKey;
    if (ck == null) {
      throw new ProtocolException("the chain is closed");
    }
    byte[] seed = Hashes.hmacSha256(ck, new byte[] {1});
    chain.chainKey = Hashes.hmacSha256(ck, new byte[] {2});
    chain.counter++;
    return seed;
  }

  /** cipher key, MAC key and IV of a message. */
  private static byte[][] messageKeys(byte[] seed) {
    byte[] out = Hashes.hkdf(seed, ZERO_SALT, KEYS_INFO, 80);
    return new byte[][] {Arrays.copyOfRange(out, 0, 32), Arrays.copyOfRange(out, 32, 64),
        Arrays.copyOfRange(out, 64, 80)};
  }

  /** new root key and chain key. */
  private static byte[][] ratchetKdf(byte[] rootKey, byte[] sharedSecret) {
    byte[] out = Hashes.hkdf(sharedSecret, rootKey, RATCHET_INFO, 64);
    return new byte[][] {Arrays.copyOf(out, 32), Arrays.copyOfRange(out, 32, 64)};
  }

  private static byte[] mac(byte[] macKey, byte[] senderIdentity, byte[] receiverIdentity, byte[] versioned) {
    byte[] full = Hashes.hmacSha256(macKey, Curve25519.withPrefix(senderIdentity),
        Curve25519.withPrefix(receiverIdentity), versioned);
    return Arrays.copyOf(full, MAC_LENGTH);
  }

  private static void requireVersion(byte[] serialized, String what) {
    if (serialized.length == 0) {
      throw new ProtocolException("an empty Signal " + what);
    }
    int version = (serialized[0] & 0xff) >> 4;
    if (version != VERSION) {
      throw new ProtocolException("a Signal " + what + " of version " + version + "; only 3 is spoken");
    }
  }

  private static byte[] key(byte @Nullable [] key, String what) {
    if (key == null || key.length != 32) {
      throw new ProtocolException(what + " must be 32 bytes");
    }
    return key;
  }

  private Object lock(SignalAddress address) {
    return locks.computeIfAbsent(address, a -> new Object());
  }


  private static byte[] filled(int n, byte value) {
    byte[] out = new byte[n];
    Arrays.fill(out, value);
    return out;
  }
}
