package dev.wagateway.server;

import dev.wagateway.WaGateway;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.event.Subscription;
import dev.wagateway.webhook.WebhookPayloads;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live event stream: {@code ws://host:WA_WS_PORT/ws/events}, authenticated with the API key in
 * the handshake ({@code Authorization: Bearer <key>} or {@code X-Api-Key}). Each text frame is one
 * event in the webhook payload schema. Query {@code session} and {@code types} (comma-separated)
 * filter; a session key gets only its session's events, and asking for another session is refused
 * (403) at the handshake. One ASYNC gateway subscription feeds every client, so a slow client never
 * blocks the gateway; a client whose send buffer passes 4 MiB is closed (1008), not left to grow.
 */
final class EventStreamServer extends WebSocketServer {
  static final String PATH = "/ws/events";
  static final long MAX_BUFFERED = 4L << 20;
  private static final Logger log = LoggerFactory.getLogger(EventStreamServer.class);
  private final ApiKeys keys;
  private final Map<WebSocket, Filter> clients = new ConcurrentHashMap<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile @Nullable Subscription subscription;

  /** What one client asked for and may see. */
  record Filter(ApiKeys.Principal principal, @Nullable String session, Set<String> types) {
    boolean wants(GatewayEvent e) {
      return principal.mayUse(e.sessionId()) && (session == null || session.equals(e.sessionId()))
          && (types.isEmpty() || types.contains(e.type()));
    }
  }

  EventStreamServer(InetSocketAddress address, ApiKeys keys) {
    super(address);
    this.keys = keys;
    setReuseAddr(true);
    setConnectionLostTimeout(30);
  }

  void attach(WaGateway gateway) {
    subscription = gateway.events().subscribe(this::broadcast, SubscribeOptions.async("ws-events"));
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
      ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder b = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    String resource = request.getResourceDescriptor();
    String path = resource.contains("?") ? resource.substring(0, resource.indexOf('?')) : resource;
    if (!path.equals(PATH)) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "404: the event stream is at " + PATH);
    }
    // getFieldValue answers "" for an absent header
    ApiKeys.Principal p = keys.authenticate(ApiKeys.presented(h -> request.hasFieldValue(h) ? request.getFieldValue(h) : null));
    if (p == null) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "401: a valid API key is required");
    }
    Map<String, String> q;
    try {
      q = Request.parseQuery(resource.contains("?") ? resource.substring(resource.indexOf('?') + 1) : null);
    } catch (ApiException e) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "400: " + e.getMessage());
    }
    String session;
    try {
      String asked = q.get("session");
      session = p.scopedSession(asked == null || asked.isEmpty() ? null : asked);
    } catch (ApiKeys.OutOfScope e) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "403: " + e.getMessage());
    }
    String types = q.getOrDefault("types", "");
    Set<String> typeSet = types.isBlank() ? Set.of() : Set.of(types.split(","));
    conn.setAttachment(new Filter(p, session, typeSet));
    return b;
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    Filter f = conn.getAttachment();
    clients.put(conn, f);
    log.info("event stream client connected (key {}, session {}, types {})", f.principal().keyId(),
        f.session() == null ? "all" : f.session(), f.types().isEmpty() ? "all" : f.types());
  }

  private void broadcast(GatewayEvent e) {
    if (clients.isEmpty()) {
      return;
    }
    String text = null;
    for (Map.Entry<WebSocket, Filter> c : clients.entrySet()) {
      WebSocket ws = c.getKey();
      if (!ws.isOpen() || !c.getValue().wants(e)) {
        continue;
      }
      if (text == null) {
        text = new String(WebhookPayloads.toJson(e), java.nio.charset.StandardCharsets.UTF_8);
      }
      if (bufferedBytes(ws) > MAX_BUFFERED) {
        ws.close(CloseFrame.POLICY_VALIDATION, "the client reads too slowly: events would be lost");
        clients.remove(ws);
        continue;
      }
      ws.send(text);
    }
  }

  private static long bufferedBytes(WebSocket ws) {
    long n = 0;
    if (ws instanceof org.java_websocket.WebSocketImpl impl) {
      for (ByteBuffer b : impl.outQueue) {
        n += b.remaining();
      }
    }
    return n;
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    clients.remove(conn);
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    // the stream is one-way; client messages are ignored
  }

  @Override
  public void onError(@Nullable WebSocket conn, Exception ex) {
    if (conn == null) {
      log.warn("event stream server error: {}", ex.toString());
    }
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  /** Starts and waits until the port is bound. */
  void startAndWait() throws InterruptedException {
    start();
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the event stream server did not start on port " + getAddress().getPort());
    }
  }

  /** The bound port (WA_WS_PORT=0 picks a free one). */
  int port() {
    return getPort();
  }

  void shutdown() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
    try {
      stop(2_000, "server shutting down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
