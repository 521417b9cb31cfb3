package dev.wagateway.engine.simulated;

import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.Inbound;
import dev.wagateway.engine.SendAck;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.session.PairingMethod;
import dev.wagateway.time.TaskScheduler.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** One session's connection to a {@link SimulatedNetwork}. */
final class SimulatedConnection implements EngineConnection {
  private enum State { NEW, CONNECTING, PAIRING, CONNECTED, CLOSED }

  private final SimulatedNetwork network;
  private final SimulatedFaults faults;
  private final EngineSession session;
  private final EngineListener listener;

  // Written under "this"; volatile so the network reads them without taking this lock (the lock
  // order is always connection -> network, never the reverse).
  private volatile State state = State.NEW;
  private @Nullable Jid self;
  private volatile @Nullable String qr;
  private int qrIssued;
  private @Nullable Cancellable keepAlive;
  private @Nullable Cancellable pairingTimer;

  SimulatedConnection(SimulatedNetwork network, SimulatedFaults faults, EngineSession session,
      EngineListener listener) {
    this.network = network;
    this.faults = faults;
    this.session = session;
    this.listener = listener;
  }

  String sessionId() {
    return session.sessionId();
  }

  boolean isConnected() {
    return state == State.CONNECTED;
  }

  @Nullable String currentQr() {
    return state == State.PAIRING ? qr : null;
  }

  private Duration latency() {
    return network.config.latency().plus(faults.extraLatency());
  }

  @Override
  public void connect() {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("connect() may be called once per connection");
      }
      state = State.CONNECTING;
    }
    network.scheduler.schedule(latency(), this::doConnect);
  }

  private void doConnect() {
    synchronized (this) {
      if (state != State.CONNECTING) {
        return;
      }
    }
    if (faults.takeRefusedConnect()) {
      end(Disconnect.of(Disconnect.Kind.CONNECT_FAILED, "connection refused (injected)"));
      return;
    }
    faults.clearStallOnReconnect();
    SimulatedConnection replaced = network.attach(this);
    if (replaced != null && replaced != this) {
      replaced.end(Disconnect.of(Disconnect.Kind.REPLACED, "another connection took over"));
    }
    byte[] credentials = session.credentials();
    if (credentials == null) {
      startPairing();
      return;
    }
    String phone = network.phoneOf(sessionId(), credentials);
    if (phone == null) {
      end(Disconnect.of(Disconnect.Kind.LOGGED_OUT, "credentials are no longer linked"));
      return;
    }
    connected(Jid.ofPhone("+" + phone));
  }

  private void startPairing() {
    synchronized (this) {
      if (state != State.CONNECTING) {
        return;
      }
      state = State.PAIRING;
    }
    if (session.pairing() instanceof PairingMethod.PhoneCode pc) {
      String code = network.newPairingCode();
      Duration validity = network.config.qrValidity().multipliedBy(network.config.qrRefreshes());
      network.showPairingCode(this, pc.phoneNumber(), code);
      synchronized (this) {
        pairingTimer = network.scheduler.schedule(validity, () -> pairingTimedOut("pairing code"));
      }
      listener.onPairingCode(code, validity);
    } else {
      issueQr();
    }
  }

  private void issueQr() {
    String code;
    synchronized (this) {
      if (state != State.PAIRING) {
        return;
      }
      if (qrIssued >= network.config.qrRefreshes()) {
        code = null;
      } else {
        code = network.newQr();
        network.showQr(this, qr, code);
        qr = code;
        qrIssued++;
        pairingTimer = network.scheduler.schedule(network.config.qrValidity(), this::issueQr);
      }
    }
    if (code == null) {
      pairingTimedOut("QR code");
    } else {
      listener.onQrCode(code, network.config.qrValidity());
    }
  }

  private void pairingTimedOut(String what) {
    end(Disconnect.of(Disconnect.Kind.FATAL, "pairing timed out: no " + what + " was used"));
  }

  /** Called by the network when the phone scanned our QR or entered our code. */
  void paired(Jid account, byte[] credentials) {
    synchronized (this) {
      if (state != State.PAIRING) {
        return;
      }
      cancelPairingTimer();
    }
    listener.onPaired(account, credentials);
    connected(account);
  }

  private void connected(Jid account) {
    Duration flap = faults.takeFlap();
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CONNECTED;
      self = account;
      Duration every = network.config.keepAliveInterval();
      keepAlive = network.scheduler.scheduleAtFixedRate(every, every, this::keepAlive);
    }
    listener.onConnected(account);
    for (Consumer<EngineListener> item : network.takeOffline(sessionId())) {
      item.accept(listener);
    }
    if (flap != null) {
      network.scheduler.schedule(flap, () ->
          end(Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "connection flapped (injected)")));
    }
  }

  private void keepAlive() {
    if (isConnected() && !faults.isStalled()) {
      listener.onActivity();
    }
  }

  @Override
  public void probe() {
    network.scheduler.schedule(latency(), this::keepAlive);
  }

  /** Runs a delivery on the listener if this connection still may talk. */
  void dispatch(Consumer<EngineListener> action) {
    if (isConnected()) {
      action.accept(listener);
    }
  }

  @Override
  public CompletionStage<SendAck> send(OutboundMessage message) {
    CompletableFuture<SendAck> result = new CompletableFuture<>();
    Jid from;
    synchronized (this) {
      if (state != State.CONNECTED || self == null) {
        result.completeExceptionally(new EngineSendException(
            Failure.of(FailureType.TRANSIENT, "not_connected", "the connection is not open")));
        return result;
      }
      from = self;
    }
    Failure fault = faults.takeSendFault();
    if (fault == SimulatedFaults.DROP || faults.isStalled()) {
      return result; // never answered: the caller's timeout decides
    }
    Duration latency = latency();
    if (fault != null) {
      after(latency, () -> result.completeExceptionally(new EngineSendException(fault)));
      return result;
    }
    if (!network.recipientExists(message.to())) {
      after(latency, () -> result.completeExceptionally(new EngineSendException(
          Failure.of(FailureType.RECIPIENT_INVALID, "not_on_whatsapp",
              "the recipient is not a WhatsApp user"))));
      return result;
    }
    String providerId = network.record(sessionId(), message.id(), message.to(), message.content());
    after(latency, () -> {
      if (faults.isStalled()) {
        return;
      }
      result.complete(new SendAck(providerId, network.scheduler.now()));
      route(from, message, providerId);
    });
    return result;
  }

  /** Zero latency answers on the caller's thread (benchmarks of the gateway); else on the scheduler. */
  private void after(Duration latency, Runnable action) {
    if (latency.isZero()) {
      action.run();
    } else {
      network.scheduler.schedule(latency, action);
    }
  }

  /** After the ack: copies to the recipient's linked sessions, and receipts back to the sender. */
  private void route(Jid from, OutboundMessage message, String providerId) {
    SimulatedConfig cfg = network.config;
    Jid to = message.to();
    if (to.isUser()) {
      InboundMessage in = new InboundMessage(providerId, "", from, from, message.content(),
          message.replyTo(), network.scheduler.now());
      for (String peer : network.linkedSessions(to.user(), sessionId())) {
        InboundMessage copy = new InboundMessage(in.id(), peer, in.chat(), in.sender(),
            in.content(), in.replyTo(), in.timestamp());
        network.deliver(peer, cfg.latency(), l -> l.onInbound(new Inbound.Message(copy)));
      }
    }
    Duration delivered = cfg.deliveryDelay();
    if (delivered == null) {
      return;
    }
    receipt(providerId, MessageStatus.DELIVERED, delivered);
    if (cfg.readDelay() != null) {
      Duration read = delivered.plus(cfg.readDelay());
      receipt(providerId, MessageStatus.READ, read);
      if (message.content() instanceof MessageContent.Audio a && a.voiceNote()) {
        receipt(providerId, MessageStatus.PLAYED, read.plus(cfg.readDelay()));
      }
    }
  }

  private void receipt(String providerId, MessageStatus status, Duration after) {
    network.deliver(sessionId(), after,
        l -> l.onReceipt(providerId, status, network.scheduler.now()));
  }

  @Override
  public CompletionStage<Void> markRead(Jid chat, String messageId, boolean typing) {
    if (state != State.CONNECTED) {
      return CompletableFuture.failedFuture(new EngineSendException(
          Failure.of(FailureType.TRANSIENT, "not_connected", "the connection is not open")));
    }
    network.recordReadMark(new SimulatedNetwork.ReadMark(sessionId(), chat, messageId, typing));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    shutDown();
  }

  @Override
  public void logout() {
    byte[] credentials = session.credentials();
    close();
    if (credentials != null) {
      network.unlinkDevice(sessionId());
    }
  }

  /** Ends the connection from the network's side and tells the listener why. */
  void end(Disconnect reason) {
    if (shutDown()) {
      listener.onDisconnected(reason);
    }
  }

  /** Closes once; returns false if it was closed already. */
  private boolean shutDown() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return false;
      }
      state = State.CLOSED;
      cleanup();
    }
    network.detach(this);
    return true;
  }

  private void cleanup() {
    if (keepAlive != null) {
      keepAlive.cancel();
    }
    cancelPairingTimer();
  }

  private void cancelPairingTimer() {
    if (pairingTimer != null) {
      pairingTimer.cancel();
      pairingTimer = null;
    }
  }
}
