package dev.wagateway.engine.simulated;

import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.Engine;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.jid.Jid;
import dev.wagateway.jid.PhoneNumbers;
import dev.wagateway.message.MessageContent;
import dev.wagateway.time.TaskScheduler;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An in-process WhatsApp network. Gateway sessions connect to it through {@link #engine()}; tests
 * play the phone: {@link #scan scan} a QR code, {@link #enterPairingCode enter} a pairing code,
 * unlink a device, and inject {@link #faults(String) faults}. Sessions linked to numbers of one
 * network can message each other; receipts move SENT → DELIVERED → READ on the scheduler's clock.
 *
 * <p>Every send that reaches the network is counted and (unless turned off) recorded, so tests
 * count what was sent on the engine side, not what the gateway believes.
 */
public final class SimulatedNetwork {
  private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTVWXYZ123456789";

  final TaskScheduler scheduler;
  final SimulatedConfig config;
  private final SecureRandom random = new SecureRandom();

  // All maps below are guarded by "this". Listener calls are never made while holding it.
  private final Map<String, Set<String>> devicesByPhone = new HashMap<>();
  private final Map<String, Device> devicesByToken = new HashMap<>();
  /** Tokens unlinked on this network: a remembered token stays refused once unlinked. */
  private final Set<String> unlinked = new HashSet<>();
  private final Set<String> registered = new HashSet<>();
  private final Map<String, SimulatedConnection> connections = new HashMap<>();
  private final Map<String, SimulatedFaults> faults = new HashMap<>();
  private final Map<String, List<Consumer<EngineListener>>> offline = new HashMap<>();
  private final Map<String, SimulatedConnection> pendingQr = new HashMap<>();
  private final Map<String, SimulatedConnection> pendingCodes = new HashMap<>();

  private final AtomicLong sendSequence = new AtomicLong();
  private final ConcurrentLinkedQueue<SentMessage> sent = new ConcurrentLinkedQueue<>();
  private volatile boolean recordSends = true;
  /** Set by {@link #rememberDevices}: credentials are self-describing and signed with it. */
  private volatile byte @Nullable [] deviceSecret;
  private final Engine engine = new SimulatedEngine();

  /** One message as the network saw it. {@code seq} orders all sends of the network. */
  public record SentMessage(long seq, String sessionId, String gatewayMessageId,
      String providerMessageId, Jid to, MessageContent content, Instant at) {}

  private record Device(String phone, String sessionId) {}

  public SimulatedNetwork(TaskScheduler scheduler, SimulatedConfig config) {
    this.scheduler = scheduler;
    this.config = config;
  }

  public SimulatedNetwork(TaskScheduler scheduler) {
    this(scheduler, SimulatedConfig.defaults());
  }

  /** The engine to give a gateway; every gateway using it joins this network. */
  public Engine engine() {
    return engine;
  }

  public SimulatedConfig config() {
    return config;
  }

  /** Makes {@code phone} a WhatsApp user (needed only when the network is not open). */
  public synchronized void register(String phone) {
    registered.add(PhoneNumbers.normalize("phone", phone));
  }

  /** The faults of a session (created on first use; they outlive its connections). */
  public synchronized SimulatedFaults faults(String sessionId) {
    return faults.computeIfAbsent(sessionId, id -> new SimulatedFaults(this, id));
  }

  /** The QR code currently shown for a session, if it is pairing by QR. */
  public synchronized @Nullable String currentQr(String sessionId) {
    SimulatedConnection c = connections.get(sessionId);
    return c == null ? null : c.currentQr();
  }

  /**
   * The phone of {@code phone} scans {@code qrCode}: the session showing it is linked to that number.
   *
   * @throws IllegalArgumentException if no session shows that code (expired or never issued)
   */
  public void scan(String qrCode, String phone) {
    String digits = PhoneNumbers.normalize("phone", phone);
    SimulatedConnection c;
    synchronized (this) {
      c = pendingQr.remove(qrCode);
      if (c == null) {
        throw new IllegalArgumentException("no session shows this QR code (expired or unknown)");
      }
    }
    link(c, digits);
  }

  /**
   * The user of {@code phone} types {@code code} on the phone.
   *
   * @throws IllegalArgumentException if the code is wrong or expired for that number
   */
  public void enterPairingCode(String phone, String code) {
    String digits = PhoneNumbers.normalize("phone", phone);
    SimulatedConnection c;
    synchronized (this) {
      c = pendingCodes.remove(digits + "/" + code);
      if (c == null) {
        throw new IllegalArgumentException("wrong or expired pairing code for this number");
      }
    }
    link(c, digits);
  }

  /**
   * Makes linked devices outlive this network object, as WhatsApp's servers remember a linked
   * device while the gateway restarts: credentials issued from now on name their phone and carry an
   * HMAC under {@code secret}, and any network given the same secret accepts them (until a device
   * is unlinked on that network). A server on the simulated engine with a durable store passes a
   * secret it keeps, so its sessions log back in after a restart or a crash.
   */
  public void rememberDevices(byte[] secret) {
    if (secret == null || secret.length < 16) {
      throw new IllegalArgumentException("the device secret needs at least 16 bytes");
    }
    this.deviceSecret = secret.clone();
  }

  private byte[] newToken(String phone) {
    byte[] secret = deviceSecret;
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    if (secret == null) {
      byte[] token = new byte[32];
      random.nextBytes(token);
      return token;
    }
    byte[] body = (phone + ":" + b64(nonce)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] mac = mac(secret, body);
    byte[] token = new byte[1 + body.length + mac.length];
    token[0] = 'S';
    System.arraycopy(body, 0, token, 1, body.length);
    System.arraycopy(mac, 0, token, 1 + body.length, mac.length);
    return token;
  }

  /** The phone a remembered token names, if it is signed with this network's secret. */
  private @Nullable String rememberedPhone(byte[] token) {
    byte[] secret = deviceSecret;
    if (secret == null || token.length < 1 + 32 + 3 || token[0] != 'S') {
      return null;
    }
    byte[] body = java.util.Arrays.copyOfRange(token, 1, token.length - 32);
    byte[] mac = java.util.Arrays.copyOfRange(token, token.length - 32, token.length);
    if (!java.security.MessageDigest.isEqual(mac, mac(secret, body))) {
      return null;
    }
    String text = new String(body, java.nio.charset.StandardCharsets.US_ASCII);
    int colon = text.indexOf(':');
    String phone = colon > 0 ? text.substring(0, colon) : "";
    return phone.matches("[1-9][0-9]{6,14}") ? phone : null;
  }

  private static byte[] mac(byte[] secret, byte[] body) {
    try {
      javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
      m.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      return m.doFinal(body);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private void link(SimulatedConnection c, String phone) {
    byte[] token = newToken(phone);
    synchronized (this) {
      devicesByPhone.computeIfAbsent(phone, p -> new HashSet<>()).add(b64(token));
      devicesByToken.put(b64(token), new Device(phone, c.sessionId()));
      registered.add(phone);
    }
    c.paired(Jid.ofPhone("+" + phone), token);
  }

  /** How many sends reached the network. */
  public long sendCount() {
    return sendSequence.get();
  }

  /** Every recorded send, in network order. */
  public List<SentMessage> sentMessages() {
    return new ArrayList<>(sent);
  }

  /** Turns recording of sends off (benchmarks) or on; counting continues either way. */
  public void recordSends(boolean on) {
    this.recordSends = on;
  }

  // ---- used by SimulatedConnection and SimulatedFaults ----

  String newQr() {
    byte[] b = new byte[18];
    random.nextBytes(b);
    return "2@" + Base64.getEncoder().withoutPadding().encodeToString(b);
  }

  String newPairingCode() {
    StringBuilder s = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        s.append('-');
      }
      s.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
    }
    return s.toString();
  }

  synchronized void showQr(SimulatedConnection c, @Nullable String old, String code) {
    if (old != null) {
      pendingQr.remove(old);
    }
    pendingQr.put(code, c);
  }

  synchronized void showPairingCode(SimulatedConnection c, String phone, String code) {
    pendingCodes.put(phone + "/" + code, c);
  }

  /** The phone the credentials belong to, or null when they are not (or no longer) linked. */
  synchronized @Nullable String phoneOf(String sessionId, byte[] credentials) {
    Device d = devicesByToken.get(b64(credentials));
    if (d == null && !unlinked.contains(b64(credentials))) {
      String phone = rememberedPhone(credentials);
      if (phone != null) {
        d = new Device(phone, sessionId);
        devicesByPhone.computeIfAbsent(phone, p -> new HashSet<>()).add(b64(credentials));
        devicesByToken.put(b64(credentials), d);
        registered.add(phone);
      }
    }
    return d == null ? null : d.phone();
  }

  /** Makes {@code c} the session's current connection; returns the one it replaces. */
  synchronized @Nullable SimulatedConnection attach(SimulatedConnection c) {
    return connections.put(c.sessionId(), c);
  }

  synchronized void detach(SimulatedConnection c) {
    connections.remove(c.sessionId(), c);
    pendingQr.values().removeIf(x -> x == c);
    pendingCodes.values().removeIf(x -> x == c);
  }

  synchronized List<Consumer<EngineListener>> takeOffline(String sessionId) {
    List<Consumer<EngineListener>> items = offline.remove(sessionId);
    return items == null ? List.of() : items;
  }

  synchronized boolean recipientExists(Jid to) {
    if (to.isGroup() || config.openNetwork()) {
      return true;
    }
    return registered.contains(to.user());
  }

  /** A read mark a session sent (see {@link dev.wagateway.WaGateway#markRead}). */
  public record ReadMark(String sessionId, Jid chat, String messageId, boolean typing) {}

  private final List<ReadMark> readMarks = new java.util.concurrent.CopyOnWriteArrayList<>();

  void recordReadMark(ReadMark mark) {
    readMarks.add(mark);
  }

  /** The read marks sessions sent, oldest first. */
  public List<ReadMark> readMarks() {
    return List.copyOf(readMarks);
  }

  /** Sessions linked to {@code phone} (its other devices), other than {@code exceptSession}. */
  synchronized List<String> linkedSessions(String phone, String exceptSession) {
    Set<String> tokens = devicesByPhone.getOrDefault(phone, Set.of());
    List<String> out = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      Device d = devicesByToken.get(t);
      if (d != null && !d.sessionId().equals(exceptSession)) {
        out.add(d.sessionId());
      }
    }
    return out;
  }

  /**
   * Makes the network recognise a message sent again under the same gateway message id and
   * deliver it once, answering with the provider id it got the first time, as WhatsApp Web does
   * with a message key the client chose. A gateway that crashed after handing a message to the
   * engine, and sends it again after the restart or takeover, then shows no duplicate to the
   * recipient; {@link #repeatedSends()} counts such sends. Off by default (every send counts).
   */
  public void deduplicateByMessageId(boolean on) {
    this.dedupe = on ? new java.util.concurrent.ConcurrentHashMap<>() : null;
  }

  /** Sends recognised as repeats by {@link #deduplicateByMessageId}. */
  public long repeatedSends() {
    return repeated.get();
  }

  private volatile java.util.concurrent.@Nullable ConcurrentHashMap<String, String> dedupe;
  private final AtomicLong repeated = new AtomicLong();

  /** Counts (and records) a send; returns the provider id it gets on the network. */
  String record(String sessionId, String gatewayId, Jid to, MessageContent content) {
    var seen = dedupe;
    if (seen != null) {
      String first = seen.get(gatewayId);
      if (first != null) {
        repeated.incrementAndGet();
        return first;
      }
    }
    long seq = sendSequence.incrementAndGet();
    String providerId = "SIM." + Long.toString(seq, 36).toUpperCase(java.util.Locale.ROOT);
    if (recordSends) {
      sent.add(new SentMessage(seq, sessionId, gatewayId, providerId, to, content, scheduler.now()));
    }
    if (seen != null) {
      seen.put(gatewayId, providerId);
    }
    return providerId;
  }

  /**
   * Hands {@code action} to the session's listener after {@code delay}: at once when the session is
   * connected and not stalled, else when it next connects (as WhatsApp holds undelivered frames).
   */
  void deliver(String sessionId, Duration delay, Consumer<EngineListener> action) {
    scheduler.schedule(delay, () -> {
      SimulatedConnection c;
      synchronized (this) {
        c = connections.get(sessionId);
        SimulatedFaults f = faults.get(sessionId);
        boolean stalled = f != null && f.isStalled();
        if (c == null || !c.isConnected() || stalled) {
          offline.computeIfAbsent(sessionId, s -> new ArrayList<>()).add(action);
          return;
        }
      }
      c.dispatch(action);
    });
  }

  void disconnect(String sessionId, Disconnect reason) {
    SimulatedConnection c;
    synchronized (this) {
      c = connections.get(sessionId);
    }
    if (c != null) {
      c.end(reason);
    }
  }

  void unlinkDevice(String sessionId) {
    synchronized (this) {
      devicesByToken.entrySet().removeIf(e -> {
        if (e.getValue().sessionId().equals(sessionId)) {
          unlinked.add(e.getKey());
          Set<String> devices = devicesByPhone.get(e.getValue().phone());
          if (devices != null) {
            devices.remove(e.getKey());
          }
          return true;
        }
        return false;
      });
    }
    disconnect(sessionId, Disconnect.of(Disconnect.Kind.LOGGED_OUT, "device unlinked on the phone"));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** The {@link Engine} view of the network. */
  private final class SimulatedEngine implements Engine {
    @Override
    public String name() {
      return "simulated";
    }

    @Override
    public EngineConnection open(EngineSession session, EngineListener listener) {
      return new SimulatedConnection(SimulatedNetwork.this, faults(session.sessionId()), session,
          listener);
    }
  }
}
