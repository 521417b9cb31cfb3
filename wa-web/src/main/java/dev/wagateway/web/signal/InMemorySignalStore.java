package dev.wagateway.web.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.proto.WaProto.PreKeyRecord;
import dev.wagateway.web.proto.WaProto.SignalStoreData;
import dev.wagateway.web.proto.WaProto.SignedPreKeyRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SignalStore} in memory that serialises to one blob ({@link #toBytes}, {@link
 * #fromBytes}): the engine keeps that blob as the session's credentials, which the core's
 * {@code EncryptingSessionStore} encrypts at rest. Thread-safe.
 */
public final class InMemorySignalStore implements SignalStore {
  private final KeyPair identity;
  private final int registrationId;
  private final Map<Integer, KeyPair> preKeys = new ConcurrentHashMap<>();
  private final Map<Integer, SignedPreKey> signedPreKeys = new ConcurrentHashMap<>();
  private final Map<SignalAddress, SessionRecord> sessions = new ConcurrentHashMap<>();
  private final Map<SignalAddress, byte[]> identities = new ConcurrentHashMap<>();

  public InMemorySignalStore(KeyPair identity, int registrationId) {
    if (registrationId < 1 || registrationId > 16380) {
      throw new IllegalArgumentException("registrationId must be 1..16380, got " + registrationId);
    }
    this.identity = identity;
    this.registrationId = registrationId;
  }

  public void addPreKey(int id, KeyPair pair) {
    preKeys.put(id, pair);
  }

  public void addSignedPreKey(SignedPreKey key) {
    signedPreKeys.put(key.id(), key);
  }

  /** Forgets a signed pre-key that was rotated out long enough ago. */
  public void removeSignedPreKey(int id) {
    signedPreKeys.remove(id);
  }

  /** The ids of the signed pre-keys kept, any order. */
  public java.util.Set<Integer> signedPreKeyIds() {
    return java.util.Set.copyOf(signedPreKeys.keySet());
  }

  public int preKeyCount() {
    return preKeys.size();
  }

  @Override
  public KeyPair identityKeyPair() {
    return identity;
  }

  @Override
  public int localRegistrationId() {
    return registrationId;
  }

  @Override
  public Optional<KeyPair> preKey(int id) {
    return Optional.ofNullable(preKeys.get(id));
  }

  @Override
  public void removePreKey(int id) {
    preKeys.remove(id);
  }

  @Override
  public Optional<SignedPreKey> signedPreKey(int id) {
    return Optional.ofNullable(signedPreKeys.get(id));
  }

  @Override
  public Optional<SessionRecord> loadSession(SignalAddress address) {
    return Optional.ofNullable(sessions.get(address));
  }

  @Override
  public void storeSession(SignalAddress address, SessionRecord record) {
    sessions.put(address, record);
  }

  @Override
  public boolean saveIdentity(SignalAddress address, byte[] identityKey) {
    byte[] previous = identities.put(address, identityKey.clone());
    return previous != null && !Arrays.equals(previous, identityKey);
  }

  @Override
  public Optional<byte[]> identity(SignalAddress address) {
    return Optional.ofNullable(identities.get(address)).map(byte[]::clone);
  }

  /** Everything, as one protobuf blob (secret: store it encrypted). */
  public byte[] toBytes() {
    SignalStoreData.Builder b = SignalStoreData.newBuilder()
        .setIdentity(identity.toRecord())
        .setRegistrationId(registrationId);
    preKeys.forEach((id, pair) -> b.addPreKeys(PreKeyRecord.newBuilder().setId(id).setKeyPair(pair.toRecord())));
    signedPreKeys.values().forEach(k -> b.addSignedPreKeys(SignedPreKeyRecord.newBuilder()
        .setId(k.id()).setKeyPair(k.keyPair().toRecord()).setSignature(ByteString.copyFrom(k.signature()))
        .setTimestamp(k.createdAt().getEpochSecond())));
    sessions.forEach((address, record) -> b.addSessions(SignalStoreData.Session.newBuilder()
        .setAddress(address.toString()).setRecord(record.data())));
    identities.forEach((address, key) -> b.addIdentities(SignalStoreData.Identity.newBuilder()
        .setAddress(address.toString()).setKey(ByteString.copyFrom(key))));
    return b.build().toByteArray();
  }

  public static InMemorySignalStore fromBytes(byte[] bytes) {
    SignalStoreData data;
    try {
      data = SignalStoreData.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("stored Signal state does not parse");
    }
    if (!data.hasIdentity()) {
      throw new ProtocolException("stored Signal state lacks the identity key");
    }
    InMemorySignalStore store = new InMemorySignalStore(KeyPair.fromRecord(data.getIdentity()), data.getRegistrationId());
    data.getPreKeysList().forEach(p -> store.preKeys.put(p.getId(), KeyPair.fromRecord(p.getKeyPair())));
    data.getSignedPreKeysList().forEach(k -> store.signedPreKeys.put(k.getId(), new SignedPreKey(k.getId(),
        KeyPair.fromRecord(k.getKeyPair()), k.getSignature().toByteArray(), Instant.ofEpochSecond(k.getTimestamp()))));
    data.getSessionsList().forEach(s -> store.sessions.put(SignalAddress.parse(s.getAddress()),
        new SessionRecord(s.getRecord())));
    data.getIdentitiesList().forEach(i -> store.identities.put(SignalAddress.parse(i.getAddress()),
        i.getKey().toByteArray()));
    return store;
  }

  @Override
  public String toString() {
    return "InMemorySignalStore[registrationId=" + registrationId + ", preKeys=" + preKeys.size()
        + ", sessions=" + sessions.size() + "]";
  }
}
