package dev.wagateway.web.signal;

import com.google.protobuf.ByteString;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.proto.WaProto.ChainRecord;
import dev.wagateway.web.proto.WaProto.PendingPreKey;
import dev.wagateway.web.proto.WaProto.SessionStateRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A working copy of one double-ratchet session; package-private, never shared between threads. */
final class SessionState {
  /** Receiving chains kept (older ones are dropped with their skipped keys). */
  static final int MAX_RECEIVING_CHAINS = 5;
  /** How far ahead of the last message a counter may jump, and how many skipped keys a chain keeps. */
  static final int MAX_SKIP = 2000;

  static final class Chain {
    final byte[] ratchetKey;
    byte @Nullable [] chainKey;
    int counter;
    final LinkedHashMap<Integer, byte[]> skipped = new LinkedHashMap<>();

    Chain(byte[] ratchetKey, byte @Nullable [] chainKey, int counter) {
      this.ratchetKey = ratchetKey;
      this.chainKey = chainKey;
      this.counter = counter;
    }
  }

  record Pending(@Nullable Integer preKeyId, int signedPreKeyId, byte[] baseKey) {}

  byte[] localIdentity;
  byte[] remoteIdentity;
  byte[] rootKey;
  int previousCounter;
  KeyPair senderRatchet;
  @Nullable Chain sendingChain;
  final List<Chain> receivingChains = new ArrayList<>();
  int remoteRegistrationId;
  byte[] baseKey;
  byte @Nullable [] lastRemoteRatchet;
  @Nullable Pending pending;

  SessionState(byte[] localIdentity, byte[] remoteIdentity, byte[] rootKey, KeyPair senderRatchet,
      int remoteRegistrationId, byte[] baseKey) {
    this.localIdentity = localIdentity;
    this.remoteIdentity = remoteIdentity;
    this.rootKey = rootKey;
    this.senderRatchet = senderRatchet;
    this.remoteRegistrationId = remoteRegistrationId;
    this.baseKey = baseKey;
  }

  @Nullable Chain receivingChain(byte[] ratchetKey) {
    for (Chain c : receivingChains) {
      if (Arrays.equals(c.ratchetKey, ratchetKey)) {
        return c;
      }
    }
    return null;
  }

  void addReceivingChain(Chain chain) {
    receivingChains.add(0, chain);
    while (receivingChains.size() > MAX_RECEIVING_CHAINS) {
      receivingChains.remove(receivingChains.size() - 1);
    }
  }

  static void putSkipped(Chain chain, int index, byte[] seed) {
    chain.skipped.put(index, seed);
    Iterator<Map.Entry<Integer, byte[]>> it = chain.skipped.entrySet().iterator();
    while (chain.skipped.size() > MAX_SKIP && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  SessionStateRecord toRecord() {
    SessionStateRecord.Builder b = SessionStateRecord.newBuilder()
        .setVersion(3)
        .setLocalIdentity(bytes(localIdentity))
        .setRemoteIdentity(bytes(remoteIdentity))
        .setRootKey(bytes(rootKey))
        .setPreviousCounter(previousCounter)
        .setSenderRatchet(senderRatchet.toRecord())
        .setRemoteRegistrationId(remoteRegistrationId)
        .setBaseKey(bytes(baseKey));
    if (sendingChain != null) {
      b.setSendingChain(chainRecord(sendingChain));
    }
    for (Chain c : receivingChains) {
      b.addReceivingChains(chainRecord(c));
    }
    if (lastRemoteRatchet != null) {
      b.setLastRemoteRatchet(bytes(lastRemoteRatchet));
    }
    if (pending != null) {
      PendingPreKey.Builder p = PendingPreKey.newBuilder()
          .setSignedPreKeyId(pending.signedPreKeyId()).setBaseKey(bytes(pending.baseKey()));
      if (pending.preKeyId() != null) {
        p.setPreKeyId(pending.preKeyId());
      }
      b.setPendingPreKey(p);
    }
    return b.build();
  }

  static SessionState fromRecord(SessionStateRecord r) {
    if (r.getVersion() != 3 || r.getRootKey().size() != 32 || !r.hasSenderRatchet()) {
      throw new ProtocolException("a stored Signal session is incomplete or of an unknown version");
    }
    SessionState s = new SessionState(r.getLocalIdentity().toByteArray(),
        r.getRemoteIdentity().toByteArray(), r.getRootKey().toByteArray(),
        KeyPair.fromRecord(r.getSenderRatchet()),
        r.getRemoteRegistrationId(), r.getBaseKey().toByteArray());
    s.previousCounter = r.getPreviousCounter();
    if (r.hasSendingChain()) {
      s.sendingChain = chain(r.getSendingChain());
    }
    for (ChainRecord c : r.getReceivingChainsList()) {
      s.receivingChains.add(chain(c));
    }
    if (r.hasLastRemoteRatchet()) {
      s.lastRemoteRatchet = r.getLastRemoteRatchet().toByteArray();
    }
    if (r.hasPendingPreKey()) {
      PendingPreKey p = r.getPendingPreKey();
      s.pending = new Pending(p.hasPreKeyId() ? p.getPreKeyId() : null, p.getSignedPreKeyId(),
          p.getBaseKey().toByteArray());
    }
    return s;
  }

  private static ChainRecord chainRecord(Chain c) {
    ChainRecord.Builder b = ChainRecord.newBuilder().setRatchetKey(bytes(c.ratchetKey)).setCounter(c.counter);
    if (c.chainKey != null) {
      b.setChainKey(bytes(c.chainKey));
    }
    c.skipped.forEach((i, seed) -> b.addSkipped(ChainRecord.SkippedKey.newBuilder().setIndex(i).setSeed(bytes(seed))));
    return b.build();
  }

  private static Chain chain(ChainRecord r) {
    Chain c = new Chain(r.getRatchetKey().toByteArray(),
        r.hasChainKey() ? r.getChainKey().toByteArray() : null, r.getCounter());
    for (ChainRecord.SkippedKey k : r.getSkippedList()) {
      c.skipped.put(k.getIndex(), k.getSeed().toByteArray());
    }
    return c;
  }

  private static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }
}
