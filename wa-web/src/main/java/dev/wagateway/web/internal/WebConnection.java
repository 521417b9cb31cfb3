package dev.wagateway.web.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.InvalidRecipientException;
import dev.wagateway.StoreException;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.Inbound;
import dev.wagateway.engine.SendAck;
import dev.wagateway.jid.Jid;
import dev.wagateway.jid.JidServer;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.WebEngineConfig;
import dev.wagateway.web.binary.BinaryNodes;
import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.noise.FrameCodec;
import dev.wagateway.web.noise.NoiseHandshake;
import dev.wagateway.web.noise.NoiseTransport;
import dev.wagateway.web.pairing.ClientPayloads;
import dev.wagateway.web.pairing.PairSuccess;
import dev.wagateway.web.pairing.QrCodes;
import dev.wagateway.web.proto.WaProto;
import dev.wagateway.web.signal.CiphertextMessage;
import dev.wagateway.web.signal.PreKeyBundle;
import dev.wagateway.web.signal.SignalAddress;
import dev.wagateway.web.signal.SignalSessions;
import dev.wagateway.web.signal.SignedPreKey;
import dev.wagateway.web.signal.WhatsAppPadding;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One web session's connection: a WebSocket per attempt, the Noise handshake, then registration
 * (QR codes, pair-success, the 515 restart) or login, keep-alive pings, and the stanzas of a
 * logged-in device. Reports to the core's listener; {@link Disconnect} is reported once, when the
 * connection ends for good (a 515 restart after pairing is internal).
 */
public final class WebConnection implements EngineConnection {
  private static final Logger log = LoggerFactory.getLogger(WebConnection.class);
  private static final Duration FIRST_QR = Duration.ofSeconds(60);
  private static final Duration NEXT_QR = Duration.ofSeconds(20);

  private final WebEngineConfig config;
  private final EngineSession session;
  private final EngineListener listener;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers;
  private final SecureRandom random = new SecureRandom();
  private final String idPrefix;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, CompletableFuture<Node>> pendingIqs = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Node>> pendingAcks = new ConcurrentHashMap<>();
  /** Guards the auth state and the Signal sessions: one decrypt or encrypt at a time. */
  private final Object authLock = new Object();
  private static final int MAX_RETRIES = 5;
  /** sender/id → retry receipts sent for a message we could not decrypt. */
  private final Map<String, Integer> retries = new ConcurrentHashMap<>();
  /** device/id → retry receipts of peers we answered, so a peer cannot make us re-encrypt forever. */
  private final Map<String, Integer> answeredRetries = new ConcurrentHashMap<>();

  private final WebAuth auth;
  private final SignalSessions signal;
  private volatile @Nullable Socket socket;
  private volatile boolean closed;
  /** Set once, by whoever reports the end first: the core hears of it exactly once. */
  private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();
  /** Why the stored credentials could not be read, or null: such a session must pair again. */
  private final @Nullable String unreadableCredentials;
  /** Stream restarts (515) since the last login: a server that keeps asking gets the core's backoff. */
  private volatile int restarts; // touched by the reader and by workers, one at a time
  private static final int MAX_RESTARTS = 3;
  private volatile @Nullable ScheduledFuture<?> keepAlive;
  private volatile @Nullable ScheduledFuture<?> qrTimer;

  public WebConnection(WebEngineConfig config, EngineSession session, EngineListener listener,
      ScheduledExecutorService timers, ExecutorService workers) {
    this.config = config;
    this.session = session;
    this.listener = listener;
    this.timers = timers;
    this.workers = workers;
    byte[] prefix = new byte[4];
    random.nextBytes(prefix);
    this.idPrefix = HexFormat.of().formatHex(prefix) + "-";
    byte[] credentials = session.credentials();
    WebAuth restored = null;
    String unreadable = null;
    if (credentials != null) {
      try {
        restored = WebAuth.fromBytes(credentials);
      } catch (RuntimeException e) { // anything unreadable in what was stored: pair again
        unreadable = e.getMessage();
      }
    }
    this.unreadableCredentials = unreadable;
    this.auth = restored != null ? restored : WebAuth.fresh(config.keySource(), random, config.clock().instant());
    this.signal = new SignalSessions(auth.signal, config.keySource(), this::identityChanged);
  }

  // ---------------------------------------------------------------- EngineConnection

  @Override
  public void connect() {
    if (unreadableCredentials != null) {
      workers.execute(() -> {
        if (!closed && reported.compareAndSet(false, true)) {
          closed = true;
          log.error("session {}: its stored credentials are unreadable ({}); it must pair again",
              session.sessionId(), unreadableCredentials);
          listener.onDisconnected(new Disconnect(Disconnect.Kind.LOGGED_OUT, "credentials_unreadable",
              "the stored credentials are unreadable; pair again"));
        }
      });
      return;
    }
    workers.execute(this::openSocket);
  }

  @Override
  public CompletionStage<SendAck> send(OutboundMessage message) {
    if (!(message.content() instanceof MessageContent.Text)
        && !(message.content() instanceof MessageContent.Reaction)) {
      return CompletableFuture.failedFuture(new EngineSendException(Failure.of(FailureType.PERMANENT,
          "unsupported_content", "the web engine sends text and reactions so far, not "
              + message.content().getClass().getSimpleName())));
    }
    Socket s = socket;
    if (s == null || !s.loggedIn) {
      return CompletableFuture.failedFuture(new EngineSendException(Failure.of(FailureType.TRANSIENT,
          "not_connected", "the web session is not logged in")));
    }
    String waId = messageId(message.id());
    return CompletableFuture.supplyAsync(() -> sendContent(s, message.to(), content(message), type(message), waId),
        workers).thenCompose(f -> f);
  }

  @Override
  public void probe() {
    Socket s = socket;
    if (s != null && s.transport != null) {
      ping(s);
    }
  }

  @Override
  public CompletionStage<Void> markRead(Jid chat, String messageId, boolean typing) {
    Socket s = socket;
    if (s == null || !s.loggedIn) {
      return CompletableFuture.failedFuture(new IllegalStateException("the web session is not logged in"));
    }
    String to = chat.toAccount().asString();
    s.sendNode(Stanzas.readReceipt(messageId, to, config.clock().instant().getEpochSecond()));
    if (typing) {
      s.sendNode(Node.of("chatstate", Node.attributes("to", to), List.of(Node.of("composing"))));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed = true;
    stopTimers();
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    failPending(new EngineSendException(Failure.of(FailureType.TRANSIENT, "closed", "the connection closed")));
  }

  @Override
  public void logout() {
    Socket s = socket;
    Jid me = auth.me;
    if (s != null && s.loggedIn && me != null) {
      try {
        iq(s, "md", "set", List.of(Node.of("remove-companion-device",
            Node.attributes("jid", me.asString(), "reason", "user_initiated"))))
            .get(config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("session {}: logout iq was not answered ({}); closing anyway", session.sessionId(), e.toString());
      }
    }
    close();
  }

  /** address → the account it belongs to, for reporting identity changes. */
  private final Map<SignalAddress, Jid> accounts = new ConcurrentHashMap<>();

  private void identityChanged(SignalAddress address) {
    Jid account = accounts.get(address);
    if (account != null) {
      log.info("session {}: the identity of {} changed", session.sessionId(), account);
      listener.onInbound(new Inbound.IdentityChanged(account));
    }
  }

  private SignalAddress address(Jid device) {
    SignalAddress address = new SignalAddress(device.user(), device.device());
    accounts.putIfAbsent(address, device.toAccount());
    return address;
  }

  // ---------------------------------------------------------------- socket lifecycle

  private void openSocket() {
    if (closed) {
      return;
    }
    Socket s = new Socket(config.url());
    socket = s;
    s.addHeader("Origin", config.origin());
    s.setConnectionLostTimeout(0); // our own keep-alive decides
    s.connectTimer = timers.schedule(() -> {
      if (s.transport == null) {
        s.end(Disconnect.of(Disconnect.Kind.CONNECT_FAILED, "no Noise handshake within "
            + config.connectTimeout().toSeconds() + " s"));
      }
    }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    s.connect();
  }

  /** A socket ended; report once, or restart after the post-pairing 515. */
  private void socketEnded(Socket s, Disconnect reason) {
    if (s != socket || !s.ended.compareAndSet(false, true)) {
      return; // an older socket, or this one's end already handled (a timer and onClose can race)
    }
    stopTimers();
    failPending(new EngineSendException(Failure.of(FailureType.TRANSIENT, reason.code(), reason.detail())));
    if (closed) {
      return;
    }
    if (s.restartRequested && auth.paired() && restarts < MAX_RESTARTS) {
      restarts++;
      log.info("session {}: restarting the stream to log in as {}", session.sessionId(), auth.me);
      workers.execute(this::openSocket);
      return;
    }
    if (reported.compareAndSet(false, true)) {
      closed = true;
      log.info("session {}: disconnected ({} {}: {})", session.sessionId(), reason.kind(), reason.code(), reason.detail());
      listener.onDisconnected(reason);
    }
  }

  private void stopTimers() {
    ScheduledFuture<?> k = keepAlive;
    if (k != null) {
      k.cancel(false);
    }
    ScheduledFuture<?> q = qrTimer;
    if (q != null) {
      q.cancel(false);
    }
  }

  private void failPending(RuntimeException e) {
    for (var f : pendingIqs.values()) {
      f.completeExceptionally(e);
    }
    pendingIqs.clear();
    for (var f : pendingAcks.values()) {
      f.completeExceptionally(e);
    }
    pendingAcks.clear();
  }

  // ---------------------------------------------------------------- handshake

  private void handshakeFrame(Socket s, byte[] frame) {
    byte[] payload;
    if (auth.paired()) {
      Jid me = auth.me;
      payload = ClientPayloads.login(config.device(), Long.parseLong(me.user()), me.device());
    } else {
      payload = ClientPayloads.registration(config.device(), auth.registrationKeys());
    }
    byte[] finish = s.handshake.readServerHello(frame, payload);
    s.sendRaw(s.codec.encode(finish));
    s.transport = s.handshake.finish();
    ScheduledFuture<?> t = s.connectTimer;
    if (t != null) {
      t.cancel(false);
    }
    log.debug("session {}: Noise handshake done ({})", session.sessionId(), auth.paired() ? "login" : "registration");
  }

  // ---------------------------------------------------------------- stanzas

  private void dispatch(Socket s, Node node) {
    switch (node.tag()) {
      case "iq" -> onIq(s, node);
      case "success" -> onSuccess(s, node);
      case "failure" -> s.end(failure(node.attr("reason"), node.attr("location")));
      case "stream:error" -> onStreamError(s, node);
      case "message" -> onMessage(s, node);
      case "receipt" -> onReceipt(s, node);
      case "notification" -> onNotification(s, node);
      case "ack" -> onAck(node);
      case "ib", "presence", "chatstate", "call" -> ackIfNeeded(s, node);
      case "xmlstreamend" -> s.end(Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "the server ended the stream"));
      default -> log.debug("session {}: ignoring <{}>", session.sessionId(), node.tag());
    }
  }

  private void onIq(Socket s, Node iq) {
    String id = iq.attr("id");
    String type = iq.attr("type");
    if (id != null && ("result".equals(type) || "error".equals(type))) {
      CompletableFuture<Node> pending = pendingIqs.remove(id);
      if (pending != null) {
        if ("error".equals(type)) {
          String code = iq.child("error").map(e -> e.attr("code")).orElse("?");
          pending.completeExceptionally(new IqException(code, iq.child("error").map(e -> e.attr("text")).orElse("")));
        } else {
          pending.complete(iq);
        }
        return;
      }
    }
    if (iq.child("pair-device").isPresent()) {
      s.sendNode(Stanzas.result(iq.requireAttr("id")));
      showQrCodes(s, QrCodes.refs(iq));
    } else if (iq.child("pair-success").isPresent()) {
      onPairSuccess(s, iq);
    } else if ("get".equals(type) && iq.child("ping").isPresent()) {
      s.sendNode(Stanzas.result(iq.requireAttr("id")));
    }
  }

  private void showQrCodes(Socket s, List<String> refs) {
    List<String> texts = new ArrayList<>();
    for (String ref : refs) {
      texts.add(QrCodes.text(ref, auth.registrationKeys(), config.device()));
    }
    showQr(s, texts, 0);
  }

  private void showQr(Socket s, List<String> texts, int index) {
    if (s != socket || closed || auth.paired()) {
      return;
    }
    if (index >= texts.size()) {
      s.end(Disconnect.of(Disconnect.Kind.FATAL, "no QR code was scanned in time"));
      return;
    }
    Duration validFor = index == 0 ? FIRST_QR : NEXT_QR;
    listener.onQrCode(texts.get(index), validFor);
    qrTimer = timers.schedule(() -> showQr(s, texts, index + 1), validFor.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onPairSuccess(Socket s, Node iq) {
    PairSuccess.Result result;
    synchronized (authLock) {
      result = PairSuccess.process(iq, auth.signal.identityKeyPair(), auth.advSecret, random);
      auth.me = result.me();
      auth.lid = result.lid();
      auth.platform = result.platform();
      auth.signedIdentity = result.signedIdentity();
    }
    ScheduledFuture<?> q = qrTimer;
    if (q != null) {
      q.cancel(false);
    }
    s.sendNode(result.reply());
    log.info("session {}: paired as {} (platform {})", session.sessionId(), result.me(), result.platform());
    listener.onPaired(result.me().toAccount(), credentialsBytes());
    s.restartRequested = true; // the server answers with stream:error 515 and closes
  }

  private void onSuccess(Socket s, Node success) {
    s.loggedIn = true;
    restarts = 0;

    Jid me = auth.me;
    log.info("session {}: logged in as {}", session.sessionId(), me);
    keepAlive = timers.scheduleWithFixedDelay(() -> ping(s), config.keepAliveInterval().toMillis(),
        config.keepAliveInterval().toMillis(), TimeUnit.MILLISECONDS);
    workers.execute(() -> {
      try {
        ensurePreKeys(s, !auth.preKeysUploaded);
        rotateSignedPreKeyIfDue(s);
        s.sendNode(Stanzas.active(nextId()));
        if (me != null) {
          listener.onConnected(me.toAccount());
        }
      } catch (RuntimeException e) {
        log.warn("session {}: after login: {}", session.sessionId(), e.toString());
        s.end(Disconnect.of(Disconnect.Kind.SERVER_ERROR, "setting up after login failed: " + e.getMessage()));
      }
    });
  }

  /** Uploads a batch of one-time pre-keys when forced or when the server holds too few. */
  private void ensurePreKeys(Socket s, boolean force) {
    if (!force) {
      Node count = await(iq(s, "encrypt", "get", List.of(Node.of("count"))));
      String value = count.child("count").map(c -> c.attr("value")).orElse("0");
      int have = value.length() <= 9 && value.chars().allMatch(Character::isDigit) && !value.isEmpty()
          ? Integer.parseInt(value) : 0; // unreadable counts as none: upload
      if (have >= config.minPreKeys()) {
        return;
      }
    }
    Map<Integer, KeyPair> batch = new LinkedHashMap<>();
    byte[] credentials;
    synchronized (authLock) {
      int first = Math.max(1, auth.nextPreKeyId);
      for (int i = 0; i < config.preKeyBatch(); i++) {
        int keyId = (first + i) % 0xFFFFFF;
        KeyPair pair = config.keySource().nextKeyPair();
        batch.put(keyId, pair);
        auth.signal.addPreKey(keyId, pair);
      }
      auth.nextPreKeyId = first + config.preKeyBatch();
      credentials = credentialsBytes();
    }
    // the keys are stored before the server can hand them out
    listener.onCredentialsChanged(credentials);
    await(s.iq(Stanzas.uploadPreKeys(nextId(), auth.signal.localRegistrationId(),
        auth.signal.identityKeyPair(), auth.signal.signedPreKey(auth.signedPreKeyId).orElseThrow(), batch)));
    synchronized (authLock) {
      auth.preKeysUploaded = true;
      credentials = credentialsBytes();
    }
    listener.onCredentialsChanged(credentials);
    log.info("session {}: uploaded {} pre-keys", session.sessionId(), batch.size());
  }

  /**
   * Replaces the signed pre-key when it is older than the configured rotation. The new key is
   * stored before the server learns it; the previous one is kept (peers that fetched it may still
   * start sessions with it) and the one before that is dropped.
   */
  private void rotateSignedPreKeyIfDue(Socket s) {
    SignedPreKey current = auth.signal.signedPreKey(auth.signedPreKeyId).orElseThrow();
    if (current.createdAt().plus(config.signedPreKeyRotation()).isAfter(config.clock().instant())) {
      return;
    }
    SignedPreKey next;
    byte[] credentials;
    synchronized (authLock) {
      int id = current.id() % 0xFFFFFF + 1;
      next = SignedPreKey.generate(auth.signal.identityKeyPair(), id, config.keySource(), random,
          config.clock().instant());
      auth.signal.addSignedPreKey(next);
      credentials = credentialsBytes();
    }
    listener.onCredentialsChanged(credentials);
    await(s.iq(Stanzas.iq(nextId(), "encrypt", "set", List.of(Node.of("rotate", Node.attributes(), List.of(
        Node.of("skey", Node.attributes(), List.of(
            Node.of("id", Node.attributes(), Bytes.bigEndian(next.id(), 3)),
            Node.of("value", Node.attributes(), next.keyPair().publicKey()),
            Node.of("signature", Node.attributes(), next.signature())))))))));
    synchronized (authLock) {
      for (int id : auth.signal.signedPreKeyIds()) {
        if (id != next.id() && id != current.id()) {
          auth.signal.removeSignedPreKey(id);
        }
      }
      auth.signedPreKeyId = next.id();
      credentials = credentialsBytes();
    }
    listener.onCredentialsChanged(credentials);
    log.info("session {}: signed pre-key {} replaced by {}", session.sessionId(), current.id(), next.id());
  }

  private void onStreamError(Socket s, Node node) {
    String code = node.attr("code");
    Node conflict = node.child("conflict").orElse(null);
    if (conflict != null) {
      code = "device_removed".equals(conflict.attr("type")) ? "401" : "440";
    }
    if (code == null) {
      code = node.children().isEmpty() ? "unknown" : node.children().get(0).tag();
    }
    Disconnect reason = switch (code) {
      case "515" -> {
        s.restartRequested = true;
        yield new Disconnect(Disconnect.Kind.SERVER_ERROR, "515", "restart required");
      }
      case "401" -> new Disconnect(Disconnect.Kind.LOGGED_OUT, "401", "the device was removed from the account");
      case "440" -> new Disconnect(Disconnect.Kind.REPLACED, "440", "another client logged in with these credentials");
      case "500", "503" -> new Disconnect(Disconnect.Kind.SERVER_ERROR, code, "the server asked to reconnect later");
      default -> new Disconnect(Disconnect.Kind.SERVER_ERROR, code, "stream error " + code);
    };
    s.end(reason);
  }

  static Disconnect failure(@Nullable String reason, @Nullable String location) {
    String code = reason == null ? "unknown" : reason;
    String where = location == null ? "" : " (" + location + ")";
    return switch (code) {
      case "401" -> new Disconnect(Disconnect.Kind.LOGGED_OUT, code, "the server refused these credentials" + where);
      case "402", "403" -> new Disconnect(Disconnect.Kind.RESTRICTED, code,
          ("403".equals(code) ? "the account is banned" : "the account is temporarily banned") + where);
      case "405" -> new Disconnect(Disconnect.Kind.FATAL, code, "this client version is no longer accepted" + where);
      case "406" -> new Disconnect(Disconnect.Kind.RESTRICTED, code, "the account or device is restricted" + where);
      case "500", "503" -> new Disconnect(Disconnect.Kind.SERVER_ERROR, code, "server error" + where);
      default -> new Disconnect(Disconnect.Kind.SERVER_ERROR, code, "login failed with " + code + where);
    };
  }

  private void onAck(Node ack) {
    String id = ack.attr("id");
    if (id != null && "message".equals(ack.attr("class"))) {
      CompletableFuture<Node> pending = pendingAcks.remove(id);
      if (pending != null) {
        pending.complete(ack);
      }
    }
  }

  private void ackIfNeeded(Socket s, Node node) {
    if (node.attr("id") != null && node.attr("from") != null && !node.tag().equals("ib")) {
      s.sendNode(Stanzas.ack(node, node.tag()));
    }
  }

  private void onNotification(Socket s, Node node) {
    s.sendNode(Stanzas.ack(node, "notification"));
    if ("encrypt".equals(node.attr("type")) && node.child("count").isPresent() && s.loggedIn) {
      workers.execute(() -> {
        try {
          ensurePreKeys(s, true);
        } catch (RuntimeException e) {
          log.warn("session {}: pre-key refill failed: {}", session.sessionId(), e.toString());
        }
      });
    }
  }

  private void onReceipt(Socket s, Node receipt) {
    String type = receipt.attr("type");
    if ("retry".equals(type)) {
      answerRetry(s, receipt);
      s.sendNode(Stanzas.ack(receipt, "receipt"));
      return;
    }
    MessageStatus status = switch (type == null ? "" : type) {
      case "", "delivery", "inactive" -> MessageStatus.DELIVERED;
      case "read", "read-self" -> MessageStatus.READ;
      case "played", "played-self" -> MessageStatus.PLAYED;
      default -> null;
    };
    if (status != null && !"read-self".equals(type) && !"played-self".equals(type)) {
      Instant at = timestamp(receipt);
      listener.onReceipt(receipt.requireAttr("id"), status, at);
      receipt.child("list").ifPresent(list -> list.children().forEach(item -> {
        if (item.attr("id") != null) {
          listener.onReceipt(item.requireAttr("id"), status, at);
        }
      }));
    }
    s.sendNode(Stanzas.ack(receipt, "receipt"));
  }

  private void onMessage(Socket s, Node message) {
    String from = message.requireAttr("from");
    Jid sender;
    try {
      sender = Jid.parse("from", from);
    } catch (InvalidRecipientException e) {
      log.debug("session {}: message from {} not handled", session.sessionId(), from);
      s.sendNode(Stanzas.ack(message, "message"));
      return;
    }
    if (sender.server() == JidServer.GROUP || sender.server() == JidServer.BROADCAST) {
      log.debug("session {}: group and broadcast messages are not handled yet", session.sessionId());
      s.sendNode(Stanzas.ack(message, "message"));
      return;
    }
    String id = message.requireAttr("id");
    String key = from + "/" + id;
    SignalAddress address = address(sender);
    byte[] decodedBytes = null;
    byte[] credentials = null;
    boolean handledBefore;
    synchronized (authLock) {
      handledBefore = auth.handledInbound.contains(key);
      if (!handledBefore) {
        decodedBytes = auth.pendingInbound.get(key); // kept before a crash or a lost ack
        if (decodedBytes == null) {
          decodedBytes = decryptAll(message, address);
          if (decodedBytes != null) {
            auth.addPending(key, decodedBytes);
            credentials = credentialsBytes();
          }
        }
      }
    }
    if (decodedBytes == null) {
      if (handledBefore) {
        s.sendNode(Stanzas.deliveryReceipt(message));
      } else if (hasOneToOneCiphertext(message)) {
        askForRetry(s, message);
      } else {
        log.debug("session {}: message {} carries nothing this engine decrypts", session.sessionId(), id);
      }
      s.sendNode(Stanzas.ack(message, "message"));
      return;
    }
    try {
      if (credentials != null) {
        // the ratchet moved and the plaintext is kept: stored before anything is acknowledged
        listener.onCredentialsChanged(credentials);
      }
      emit(message, sender, decodedBytes);
      byte[] handled;
      synchronized (authLock) {
        auth.markHandled(key);
        handled = credentialsBytes();
      }
      listener.onCredentialsChanged(handled);
    } catch (StoreException e) {
      log.error("session {}: message {} not acknowledged: its state could not be stored ({})",
          session.sessionId(), id, e.getMessage());
      return;
    }
    s.sendNode(Stanzas.deliveryReceipt(message));
    s.sendNode(Stanzas.ack(message, "message"));
  }

  private static boolean hasOneToOneCiphertext(Node message) {
    for (Node enc : message.children()) {
      if (enc.tag().equals("enc") && ("pkmsg".equals(enc.attr("type")) || "msg".equals(enc.attr("type")))) {
        return true;
      }
    }
    return false;
  }

  /** Decrypts the first pkmsg/msg the message carries; null when none decrypts. */
  private byte @Nullable [] decryptAll(Node message, SignalAddress address) {
    for (Node enc : message.children()) {
      String encType = enc.attr("type");
      if (!enc.tag().equals("enc") || (!"pkmsg".equals(encType) && !"msg".equals(encType))) {
        continue;
      }
      try {
        byte[] padded = signal.decrypt(address, new CiphertextMessage(CiphertextMessage.Type.ofWireName(encType),
            enc.requireBytes()));
        byte[] plain = WhatsAppPadding.unpad(padded);
        WaProto.Message.parseFrom(plain); // refuse what is not a Message before keeping it
        return plain;
      } catch (ProtocolException | InvalidProtocolBufferException e) {
        log.warn("session {}: cannot decrypt message {} from {}: {}", session.sessionId(),
            message.attr("id"), address, e.getMessage());
      }
    }
    return null;
  }

  private void emit(Node message, Jid sender, byte[] plain) {
    WaProto.Message decoded;
    try {
      decoded = WaProto.Message.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a kept message does not parse", e);
    }
    if (decoded.hasReactionMessage() && decoded.getReactionMessage().hasKey()) {
      WaProto.Message.ReactionMessage r = decoded.getReactionMessage();
      listener.onInbound(new Inbound.Reaction(sender.toAccount(), sender.toAccount(), r.getKey().getId(),
          r.getText()));
      return;
    }
    String text = decoded.hasConversation() ? decoded.getConversation()
        : decoded.hasExtendedTextMessage() ? decoded.getExtendedTextMessage().getText() : null;
    if (text == null) {
      log.debug("session {}: message {} has no text; not emitted", session.sessionId(), message.attr("id"));
      return;
    }
    String replyTo = decoded.hasExtendedTextMessage() && decoded.getExtendedTextMessage().hasContextInfo()
        ? decoded.getExtendedTextMessage().getContextInfo().getStanzaId() : null;
    Instant at = timestamp(message);
    String notify = message.attr("notify");
    listener.onInbound(new Inbound.Message(new InboundMessage(message.requireAttr("id"),
        session.sessionId(), sender.toAccount(), sender.toAccount(), MessageContent.text(text),
        replyTo == null || replyTo.isEmpty() ? null : replyTo, at,
        notify == null ? null : new InboundMessage.SenderProfile(notify, null, null))));
  }

  /** A message we cannot decrypt: ask the sender to encrypt it again (at most five times). */
  private void askForRetry(Socket s, Node message) {
    String id = message.requireAttr("id");
    bound(retries);
    int count = retries.merge(message.requireAttr("from") + "/" + id, 1, Integer::sum);
    if (count > MAX_RETRIES) {
      log.warn("session {}: giving up on message {} after {} retry requests", session.sessionId(), id, MAX_RETRIES);
      return;
    }
    Map<String, String> attrs = Node.attributes("id", id, "to", message.requireAttr("from"), "type", "retry");
    if (message.attr("participant") != null) {
      attrs.put("participant", message.attr("participant"));
    }
    s.sendNode(Node.of("receipt", attrs, List.of(
        Node.of("retry", Node.attributes("count", Integer.toString(count), "id", id,
            "t", message.attr("t") == null ? Long.toString(config.clock().instant().getEpochSecond())
                : message.requireAttr("t"), "v", "1")),
        Node.of("registration", Node.attributes(), Bytes.bigEndian(auth.signal.localRegistrationId(), 4)))));
  }

  /** A peer could not decrypt what we sent: encrypt it again for that device (a few times at most). */
  private void answerRetry(Socket s, Node receipt) {
    String id = receipt.requireAttr("id");
    String asker = (receipt.attr("participant") != null ? receipt.attr("participant") : receipt.attr("from")) + "/" + id;
    bound(answeredRetries);
    if (answeredRetries.merge(asker, 1, Integer::sum) > MAX_RETRIES) {
      log.info("session {}: not answering retry {} for {} again", session.sessionId(), answeredRetries.get(asker), id);
      return;
    }
    WaProto.SentRecord sent;
    synchronized (authLock) {
      sent = auth.recentSent.get(id);
    }
    if (sent == null) {
      log.info("session {}: retry asked for {}, which is no longer kept", session.sessionId(), id);
      return;
    }
    Jid device = Jid.parse("from", receipt.attr("participant") != null ? receipt.requireAttr("participant")
        : receipt.requireAttr("from"));
    workers.execute(() -> {
      try {
        SignalAddress address = address(device);
        // the peer lost our session: start a new one from a fresh bundle
        startSessions(s, List.of(deviceJid(device, device.device())));
        byte[] credentials;
        CiphertextMessage m;
        synchronized (authLock) {
          m = signal.encrypt(address, WhatsAppPadding.pad(sent.getMessage().toByteArray(), random));
          credentials = credentialsBytes();
        }
        listener.onCredentialsChanged(credentials);
        List<Node> children = new ArrayList<>();
        children.add(Node.of("enc", Node.attributes("v", "2", "type", m.type().wireName(),
            "count", receipt.child("retry").map(r -> r.attr("count")).orElse("1")), m.serialized()));
        if (m.type() == CiphertextMessage.Type.PKMSG && auth.signedIdentity != null) {
          children.add(Node.of("device-identity", Node.attributes(), accountForPeers(auth.signedIdentity)));
        }
        s.sendNode(Node.of("message", Node.attributes("id", id, "to", deviceJid(device, device.device()),
            "type", "text"), children));
        log.info("session {}: sent {} again to {} on its retry request", session.sessionId(), id, device);
      } catch (RuntimeException e) {
        log.warn("session {}: could not answer the retry for {}: {}", session.sessionId(), id, e.toString());
      }
    });
  }

  // ---------------------------------------------------------------- sending

  /** The Message protobuf for what the core asked to send. */
  private WaProto.Message content(OutboundMessage outbound) {
    String chat = outbound.to().toAccount().asString();
    if (outbound.content() instanceof MessageContent.Reaction r) {
      boolean ours;
      synchronized (authLock) {
        ours = auth.recentSent.containsKey(r.targetMessageId());
      }
      return WaProto.Message.newBuilder().setReactionMessage(WaProto.Message.ReactionMessage.newBuilder()
          .setKey(WaProto.Message.MessageKey.newBuilder().setRemoteJid(chat).setFromMe(ours)
              .setId(r.targetMessageId()))
          .setText(r.emoji()).setSenderTimestampMs(config.clock().millis())).build();
    }
    String body = ((MessageContent.Text) outbound.content()).body();
    String replyTo = outbound.replyTo();
    WaProto.Message.Builder content = WaProto.Message.newBuilder();
    if (replyTo == null) {
      content.setConversation(body);
    } else {
      content.setExtendedTextMessage(WaProto.Message.ExtendedTextMessage.newBuilder().setText(body)
          .setContextInfo(WaProto.Message.ContextInfo.newBuilder().setStanzaId(replyTo).setParticipant(chat)));
    }
    return content.build();
  }

  private static String type(OutboundMessage outbound) {
    return outbound.content() instanceof MessageContent.Reaction ? "reaction" : "text";
  }

  private CompletableFuture<SendAck> sendContent(Socket s, Jid to, WaProto.Message message, String type,
      String id) {
    String userJid = to.toAccount().asString();
    Jid me = auth.me;
    Jid myAccount = me == null ? null : me.toAccount();
    boolean toSelf = myAccount != null && myAccount.equals(to.toAccount());
    List<String> users = myAccount == null || toSelf ? List.of(userJid) : List.of(userJid, myAccount.asString());
    Node usync = await(s.iq(Stanzas.usyncDevices(nextId(), users)));
    // the recipient's devices, and our own other devices (they get a copy of what we send)
    List<Jid> targets = new ArrayList<>();
    for (int device : deviceIds(usync, userJid)) {
      if (!(toSelf && device == me.device())) {
        targets.add(to.toAccount().withDevice(device));
      }
    }
    if (targets.isEmpty()) {
      throw new CompletionException(new EngineSendException(Failure.of(FailureType.RECIPIENT_INVALID,
          "no_devices", "the recipient has no WhatsApp devices")));
    }
    int recipientDevices = targets.size();
    if (myAccount != null && !toSelf) {
      for (int device : deviceIds(usync, myAccount.asString())) {
        if (device != me.device()) {
          targets.add(myAccount.withDevice(device));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Jid device : targets) {
      if (!signal.hasSession(address(device))) {
        missing.add(deviceJid(device, device.device()));
      }
    }
    if (!missing.isEmpty()) {
      startSessions(s, missing);
    }
    byte[] plaintext = message.toByteArray();
    byte[] ownCopy = WaProto.Message.newBuilder().setDeviceSentMessage(WaProto.Message.DeviceSentMessage
        .newBuilder().setDestinationJid(userJid).setMessage(message)).build().toByteArray();
    List<Node> participants = new ArrayList<>();
    boolean anyPreKey = false;
    int encryptedForRecipient = 0;
    byte[] credentials;
    synchronized (authLock) {
      for (int i = 0; i < targets.size(); i++) {
        Jid device = targets.get(i);
        SignalAddress address = address(device);
        if (!signal.hasSession(address)) {
          continue; // no bundle was served for it (a phone without keys, on the mock server)
        }
        boolean own = i >= recipientDevices;
        CiphertextMessage m = signal.encrypt(address, WhatsAppPadding.pad(own ? ownCopy : plaintext, random));
        anyPreKey |= m.type() == CiphertextMessage.Type.PKMSG;
        encryptedForRecipient += own ? 0 : 1;
        participants.add(Node.of("to", Node.attributes("jid", deviceJid(device, device.device())), List.of(
            Node.of("enc", Node.attributes("v", "2", "type", m.type().wireName()), m.serialized()))));
      }
      credentials = credentialsBytes();
    }
    if (encryptedForRecipient == 0) {
      participants.clear();
    }
    if (participants.isEmpty()) {
      throw new CompletionException(new EngineSendException(Failure.of(FailureType.RECIPIENT_INVALID,
          "no_keys", "no device of the recipient has keys to encrypt for")));
    }
    synchronized (authLock) {
      auth.addSent(id, userJid, plaintext, config.clock().instant());
      credentials = credentialsBytes();
    }
    listener.onCredentialsChanged(credentials);
    List<Node> children = new ArrayList<>();
    children.add(Node.of("participants", Node.attributes(), participants));
    if (anyPreKey && auth.signedIdentity != null) {
      children.add(Node.of("device-identity", Node.attributes(), accountForPeers(auth.signedIdentity)));
    }
    CompletableFuture<Node> ack = new CompletableFuture<>();
    pendingAcks.put(id, ack);
    s.sendNode(Node.of("message", Node.attributes("id", id, "to", userJid, "type", type), children));
    return ack.orTimeout(config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS).handle((node, error) -> {
      pendingAcks.remove(id);
      if (error != null) {
        throw new CompletionException(new EngineSendException(Failure.of(FailureType.TRANSIENT,
            "no_ack", "the server did not acknowledge the message: " + error)));
      }
      String code = node.attr("error");
      if (code != null) {
        throw new CompletionException(new EngineSendException(Failure.of(
            code.startsWith("5") ? FailureType.TRANSIENT : FailureType.PERMANENT, code,
            "the server refused the message with " + code)));
      }
      Instant at = timestamp(node);
      return new SendAck(id, at);
    });
  }

  /** Fetches the bundles of devices and starts a Signal session with each one served. */
  private void startSessions(Socket s, List<String> deviceJids) {
    Node keys = await(s.iq(Stanzas.keyFetch(nextId(), deviceJids)));
    for (Node user : keys.child("list").map(Node::children).orElse(List.of())) {
      Jid device = Jid.parse("jid", user.requireAttr("jid"));
      synchronized (authLock) {
        signal.processPreKeyBundle(address(device), bundle(user));
      }
    }
  }

  private static String deviceJid(Jid user, int device) {
    return device == 0 ? user.toAccount().asString()
        : user.user() + ":" + device + "@" + user.server().domain();
  }

  static List<Integer> deviceIds(Node usyncResult, String userJid) {
    List<Integer> out = new ArrayList<>();
    Node list = usyncResult.requireChild("usync").requireChild("list");
    for (Node user : list.children()) {
      if (!userJid.equals(user.attr("jid"))) {
        continue;
      }
      user.child("devices").flatMap(d -> d.child("device-list")).ifPresent(dl -> {
        for (Node device : dl.children()) {
          String id = device.attr("id");
          if (id != null && !id.isEmpty() && id.length() <= 3 && id.chars().allMatch(Character::isDigit)) {
            out.add(Integer.parseInt(id));
          }
        }
      });
    }
    return out;
  }

  static PreKeyBundle bundle(Node user) {
    Node skey = user.requireChild("skey");
    Node key = user.child("key").orElse(null);
    return new PreKeyBundle(Bytes.readBigEndian(user.requireChild("registration").requireBytes()),
        key == null ? null : Bytes.readBigEndian(key.requireChild("id").requireBytes()),
        key == null ? null : key.requireChild("value").requireBytes(),
        Bytes.readBigEndian(skey.requireChild("id").requireBytes()), skey.requireChild("value").requireBytes(),
        skey.requireChild("signature").requireBytes(), user.requireChild("identity").requireBytes());
  }

  /** The account-signed identity as peers get it: without the account signature key. */
  private static byte[] accountForPeers(byte[] signedIdentity) {
    try {
      return WaProto.ADVSignedDeviceIdentity.parseFrom(signedIdentity).toBuilder()
          .clearAccountSignatureKey().build().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored signed identity does not parse", e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Retry counters are per message; a map that grew past 10,000 starts over rather than grow on. */
  private static void bound(Map<String, Integer> counters) {
    if (counters.size() > 10_000) {
      counters.clear();
    }
  }

  /** A stanza's {@code t} (epoch seconds); now when it is absent or not a number. */
  private Instant timestamp(Node stanza) {
    String t = stanza.attr("t");
    if (t != null && !t.isEmpty() && t.length() <= 12 && t.chars().allMatch(Character::isDigit)) {
      return Instant.ofEpochSecond(Long.parseLong(t));
    }
    return config.clock().instant();
  }

  private void ping(Socket s) {
    if (s != socket || s.transport == null) {
      return;
    }
    s.iq(Stanzas.ping(nextId())).orTimeout(config.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((node, error) -> {
          if (error != null && s == socket && !closed) {
            s.end(Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "no answer to a ping within "
                + config.keepAliveTimeout().toSeconds() + " s"));
          }
        });
  }

  private CompletableFuture<Node> iq(Socket s, String xmlns, String type, List<Node> children) {
    return s.iq(Stanzas.iq(nextId(), xmlns, type, children));
  }

  private Node await(CompletableFuture<Node> future) {
    try {
      return future.get(config.iqTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new CompletionException(new EngineSendException(Failure.of(FailureType.TRANSIENT,
          "iq_timeout", "the server did not answer within " + config.iqTimeout().toSeconds() + " s")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private byte[] credentialsBytes() {
    synchronized (authLock) {
      return auth.toBytes();
    }
  }

  String nextId() {
    return idPrefix + ids.incrementAndGet();
  }

  /**
   * The WhatsApp id of a gateway message: derived from the gateway's id, so a retry after a lost
   * ack sends the same id again and the recipient's client sees one message, not two.
   */
  static String messageId(String gatewayMessageId) {
    byte[] digest = dev.wagateway.web.crypto.Hashes.sha256(
        gatewayMessageId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return "3EB0" + HexFormat.of().withUpperCase().formatHex(digest, 0, 9);
  }

  /** An iq answered with type=error. */
  static final class IqException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    IqException(String code, String text) {
      super("iq error " + code + (text.isEmpty() ? "" : ": " + text));
      this.code = code;
    }
  }

  /** One WebSocket attempt with its own framing, handshake and transport. */
  final class Socket extends WebSocketClient {
    final FrameCodec codec = new FrameCodec();
    final NoiseHandshake handshake = new NoiseHandshake(config.keySource().nextKeyPair(), auth.noiseKey,
        config.rootKey(), config.clock());
    volatile @Nullable NoiseTransport transport;
    volatile boolean loggedIn;
    volatile boolean restartRequested;
    volatile @Nullable Disconnect endReason;
    volatile @Nullable ScheduledFuture<?> connectTimer;
    final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    private final Object sendLock = new Object();

    Socket(URI url) {
      super(url);
    }

    @Override
    public void onOpen(ServerHandshake handshakeData) {
      sendRaw(codec.encode(handshake.clientHello()));
    }

    @Override
    public void onMessage(String message) {
      end(Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "the server sent a text WebSocket message"));
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
      byte[] data = new byte[bytes.remaining()];
      bytes.get(data);
      try {
        for (byte[] frame : codec.feed(data)) {
          if (transport == null) {
            handshakeFrame(this, frame);
          } else {
            Node node = BinaryNodes.decode(transport.decrypt(frame));
            listener.onActivity();
            log.trace("session {}: in {}", session.sessionId(), node);
            dispatch(this, node);
          }
        }
      } catch (ProtocolException e) {
        log.warn("session {}: protocol error: {}", session.sessionId(), e.getMessage());
        end(Disconnect.of(transport == null ? Disconnect.Kind.CONNECT_FAILED : Disconnect.Kind.CONNECTION_LOST,
            e.getMessage()));
      } catch (RuntimeException e) {
        log.error("session {}: unexpected error handling a frame", session.sessionId(), e);
        end(Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "internal error: " + e));
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      Disconnect why = endReason;
      if (why == null) {
        why = transport == null
            ? Disconnect.of(Disconnect.Kind.CONNECT_FAILED, "the socket closed before the handshake ("
                + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")")
            : Disconnect.of(Disconnect.Kind.CONNECTION_LOST, "the socket closed (" + code + ")");
      }
      socketEnded(this, why);
    }

    @Override
    public void onError(Exception ex) {
      log.debug("session {}: socket error: {}", session.sessionId(), ex.toString());
    }

    /** Ends this attempt with a reason (the first reason given wins). */
    void end(Disconnect reason) {
      if (endReason == null) {
        endReason = reason;
      }
      if (isOpen() || isConnecting()) {
        close();
      } else {
        socketEnded(this, endReason);
      }
    }

    private boolean isConnecting() {
      return getReadyState() == org.java_websocket.enums.ReadyState.NOT_YET_CONNECTED;
    }

    void sendRaw(byte[] bytes) {
      if (isOpen()) {
        send(bytes);
      }
    }

    void sendNode(Node node) {
      NoiseTransport t = transport;
      if (t == null) {
        throw new IllegalStateException("no transport yet");
      }
      log.trace("session {}: out {}", session.sessionId(), node);
      synchronized (sendLock) {
        sendRaw(codec.encode(t.encrypt(BinaryNodes.encode(node))));
      }
    }

    CompletableFuture<Node> iq(Node iq) {
      CompletableFuture<Node> future = new CompletableFuture<>();
      String id = iq.requireAttr("id");
      pendingIqs.put(id, future);
      future.whenComplete((n, e) -> pendingIqs.remove(id));
      sendNode(iq);
      return future;
    }
  }

  @Override
  public String toString() {
    return "WebConnection[" + session.sessionId() + ", " + auth + "]";
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
