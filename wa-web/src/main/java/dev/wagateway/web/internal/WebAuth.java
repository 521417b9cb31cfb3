package dev.wagateway.web.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.jid.Jid;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.pairing.RegistrationKeys;
import dev.wagateway.web.proto.WaProto;
import dev.wagateway.web.proto.WaProto.SignalStoreData;
import dev.wagateway.web.proto.WaProto.WebCredentials;
import dev.wagateway.web.signal.InMemorySignalStore;
import dev.wagateway.web.signal.SignedPreKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import org.jspecify.annotations.Nullable;

/**
 * Everything a web session keeps: its Noise key, ADV secret, who it is once paired, and its Signal
 * state. Serialised as one {@code WebCredentials} protobuf, which the core stores encrypted.
 * Mutated only under the connection's lock.
 */
final class WebAuth {
  final KeyPair noiseKey;
  final byte[] advSecret;
  final InMemorySignalStore signal;
  int signedPreKeyId;
  @Nullable Jid me;
  @Nullable Jid lid;
  @Nullable String platform;
  byte @Nullable [] signedIdentity;
  int nextPreKeyId;
  boolean preKeysUploaded;
  /** sender/id → Message protobuf: decrypted, not yet acknowledged. */
  final LinkedHashMap<String, byte[]> pendingInbound = new LinkedHashMap<>();
  /** sender/id of messages acknowledged lately, oldest first. */
  final LinkedHashSet<String> handledInbound = new LinkedHashSet<>();
  /** id → what we sent lately, oldest first. */
  final LinkedHashMap<String, WaProto.SentRecord> recentSent = new LinkedHashMap<>();

  static final int MAX_PENDING = 1000;
  static final int MAX_HANDLED = 2000;
  static final int MAX_SENT = 200;

  private WebAuth(KeyPair noiseKey, byte[] advSecret, InMemorySignalStore signal, int signedPreKeyId) {
    this.noiseKey = noiseKey;
    this.advSecret = advSecret;
    this.signal = signal;
    this.signedPreKeyId = signedPreKeyId;
  }

  /** New keys for a device that has not registered yet. */
  static WebAuth fresh(KeySource keys, SecureRandom random, Instant now) {
    KeyPair identity = keys.nextKeyPair();
    InMemorySignalStore store = new InMemorySignalStore(identity, 1 + random.nextInt(16380));
    SignedPreKey signed = SignedPreKey.generate(identity, 1, keys, random, now);
    store.addSignedPreKey(signed);
    byte[] adv = new byte[32];
    random.nextBytes(adv);
    WebAuth auth = new WebAuth(keys.nextKeyPair(), adv, store, signed.id());
    auth.nextPreKeyId = 1;
    return auth;
  }

  void markHandled(String key) {
    pendingInbound.remove(key);
    handledInbound.remove(key);
    handledInbound.add(key);
    trim(handledInbound, MAX_HANDLED);
  }

  void addPending(String key, byte[] message) {
    pendingInbound.put(key, message);
    trim(pendingInbound.keySet(), MAX_PENDING);
  }

  void addSent(String id, String to, byte[] message, Instant at) {
    recentSent.put(id, WaProto.SentRecord.newBuilder().setId(id).setTo(to)
        .setMessage(ByteString.copyFrom(message)).setAt(at.getEpochSecond()).build());
    trim(recentSent.keySet(), MAX_SENT);
  }

  private static void trim(java.util.Set<String> keys, int max) {
    var it = keys.iterator();
    while (keys.size() > max && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  boolean paired() {
    return me != null && signedIdentity != null;
  }

  RegistrationKeys registrationKeys() {
    SignedPreKey signed = signal.signedPreKey(signedPreKeyId).orElseThrow();
    return new RegistrationKeys(noiseKey, signal.identityKeyPair(), signal.localRegistrationId(),
        signed.id(), signed.keyPair(), signed.signature(), advSecret);
  }

  byte[] toBytes() {
    WebCredentials.Builder b = WebCredentials.newBuilder()
        .setNoiseKey(noiseKey.toRecord())
        .setAdvSecret(ByteString.copyFrom(advSecret))
        .setNextPreKeyId(nextPreKeyId)
        .setPreKeysUploaded(preKeysUploaded)
        .setSignedPreKeyId(signedPreKeyId);
    try {
      b.setSignal(SignalStoreData.parseFrom(signal.toBytes()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the Signal store wrote what it cannot read", e);
    }
    if (me != null) {
      b.setMe(me.asString());
    }
    if (lid != null) {
      b.setLid(lid.asString());
    }
    if (platform != null) {
      b.setPlatform(platform);
    }
    if (signedIdentity != null) {
      b.setSignedIdentity(ByteString.copyFrom(signedIdentity));
    }
    pendingInbound.forEach((key, message) -> b.addPendingInbound(WaProto.InboundRecord.newBuilder()
        .setKey(key).setMessage(ByteString.copyFrom(message))));
    b.addAllHandledInbound(handledInbound);
    b.addAllRecentSent(recentSent.values());
    return b.build().toByteArray();
  }

  static WebAuth fromBytes(byte[] bytes) {
    WebCredentials c;
    try {
      c = WebCredentials.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("stored web credentials do not parse; the session must pair again");
    }
    if (!c.hasNoiseKey() || !c.hasSignal() || c.getAdvSecret().size() != 32) {
      throw new ProtocolException("stored web credentials are incomplete; the session must pair again");
    }
    WebAuth auth = new WebAuth(KeyPair.fromRecord(c.getNoiseKey()), c.getAdvSecret().toByteArray(),
        InMemorySignalStore.fromBytes(c.getSignal().toByteArray()), c.getSignedPreKeyId());
    auth.me = c.hasMe() ? Jid.parse("me", c.getMe()) : null;
    auth.lid = c.hasLid() ? Jid.parse("lid", c.getLid()) : null;
    auth.platform = c.hasPlatform() ? c.getPlatform() : null;
    auth.signedIdentity = c.hasSignedIdentity() ? c.getSignedIdentity().toByteArray() : null;
    auth.nextPreKeyId = c.getNextPreKeyId();
    auth.preKeysUploaded = c.getPreKeysUploaded();
    c.getPendingInboundList().forEach(r -> auth.pendingInbound.put(r.getKey(), r.getMessage().toByteArray()));
    auth.handledInbound.addAll(c.getHandledInboundList());
    c.getRecentSentList().forEach(r -> auth.recentSent.put(r.getId(), r));
    return auth;
  }

  @Override
  public String toString() {
    return "WebAuth[me=" + me + ", registered=" + paired() + "]";
  }
}
