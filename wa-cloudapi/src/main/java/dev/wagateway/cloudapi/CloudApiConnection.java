package dev.wagateway.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.cloudapi.GraphClient.GraphException;
import dev.wagateway.cloudapi.MetaErrors.Mapped;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.EngineConnection;
import dev.wagateway.engine.EngineListener;
import dev.wagateway.engine.EngineSendException;
import dev.wagateway.engine.EngineSession;
import dev.wagateway.engine.SendAck;
import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MediaSource;
import dev.wagateway.message.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session on one business phone number. The Cloud API has no socket to keep open: "connected"
 * means the token was accepted for the number; sends are Graph API calls; inbound traffic arrives
 * through the engine's webhook handler, which routes it here by phone number id.
 */
final class CloudApiConnection implements EngineConnection {
  private static final Logger log = LoggerFactory.getLogger(CloudApiConnection.class);
  private static final String FIELDS = "?fields=display_phone_number,verified_name,quality_rating";

  private final CloudApiEngine engine;
  private final EngineSession session;
  private final EngineListener listener;
  private final CloudApiConfig.@Nullable Account account;
  private volatile boolean connected;
  private volatile dev.wagateway.time.TaskScheduler.@Nullable Cancellable keepAlive;
  private volatile dev.wagateway.time.TaskScheduler.@Nullable Cancellable accountCheck;
  private volatile boolean closed;

  CloudApiConnection(CloudApiEngine engine, EngineSession session, EngineListener listener) {
    this.engine = engine;
    this.session = session;
    this.listener = listener;
    this.account = engine.config().account(session.sessionId()).orElse(null);
  }

  String sessionId() {
    return session.sessionId();
  }

  boolean isConnected() {
    return connected && !closed;
  }

  @Override
  public void connect() {
    if (account == null) {
      end(new Disconnect(Disconnect.Kind.FATAL, "no_account", "no Cloud API phone number is configured for"
          + " session " + session.sessionId()));
      return;
    }
    engine.graph().get(account.phoneNumberId() + FIELDS, account.accessToken()).whenComplete((info, err) -> {
      if (closed) {
        return;
      }
      if (err != null) {
        checkFailed(unwrap(err));
        return;
      }
      Jid self;
      try {
        self = Jid.ofPhone("display_phone_number", info.path("display_phone_number").asText(""));
      } catch (RuntimeException e) {
        end(new Disconnect(Disconnect.Kind.FATAL, "no_phone_number", "the Graph API gave no usable display phone"
            + " number for phone number id " + account.phoneNumberId()));
        return;
      }
      engine.checked(session.sessionId(), account.phoneNumberId(), true, info, null);
      warnOnQuality(info);
      engine.register(account.phoneNumberId(), this);
      connected = true;
      // Nothing goes silent on HTTP: tell the watchdog the session lives, and re-check the account now and then.
      keepAlive = engine.scheduler().scheduleAtFixedRate(engine.config().keepAliveInterval(),
          engine.config().keepAliveInterval(), () -> {
            if (isConnected()) {
              listener.onActivity();
            }
          });
      accountCheck = engine.scheduler().scheduleAtFixedRate(engine.config().accountCheckInterval(),
          engine.config().accountCheckInterval(), this::probe);
      if (session.credentials() == null) {
        // Nothing secret is stored: the token stays in the configuration, the store keeps which number.
        ObjectNode cred = GraphClient.JSON.createObjectNode().put("engine", "cloudapi")
            .put("phoneNumberId", account.phoneNumberId());
        listener.onPaired(self, cred.toString().getBytes(StandardCharsets.UTF_8));
      }
      listener.onConnected(self);
    });
  }

  private void checkFailed(Throwable t) {
    GraphException ge = t instanceof GraphException g ? g : null;
    String what = ge == null ? t.getClass().getSimpleName() : ge.getMessage();
    engine.checked(session.sessionId(), account.phoneNumberId(), ge == null || ge.error == null
        || (ge.error.code() != 190 && ge.error.code() != 0), null, what);
    if (ge != null && ge.error != null) {
      Mapped m = MetaErrors.map(ge.error, engine.config());
      if (m.session() != null) {
        end(m.session());
        return;
      }
      if (ge.error.code() == 100 && ge.status == 400) {
        end(new Disconnect(Disconnect.Kind.FATAL, "100", "phone number id " + account.phoneNumberId()
            + " is unknown or the token may not use it (" + ge.error.describe() + ")"));
        return;
      }
    }
    String code = ge == null || ge.network ? "unreachable" : ge.error == null ? "http_" + ge.status
        : String.valueOf(ge.error.code());
    end(new Disconnect(Disconnect.Kind.CONNECT_FAILED, code, "checking the phone number failed: " + what));
  }

  private void warnOnQuality(JsonNode info) {
    String q = info.path("quality_rating").asText("");
    if ("RED".equalsIgnoreCase(q) || "YELLOW".equalsIgnoreCase(q)) {
      log.warn("session {}: Meta rates the quality of its phone number {}; sends may be limited", session.sessionId(),
          q);
    }
  }

  @Override
  public CompletionStage<SendAck> send(OutboundMessage message) {
    if (!isConnected() || account == null) {
      return CompletableFuture.failedFuture(new EngineSendException(
          Failure.of(FailureType.TRANSIENT, "not_connected", "the session is not connected")));
    }
    List<MediaSource.Bytes> bytes = CloudApiPayloads.bytesOf(message.content());
    CompletableFuture<Map<MediaSource, String>> uploads = CompletableFuture.completedFuture(new IdentityHashMap<>());
    for (MediaSource.Bytes b : bytes) {
      // the same bytes go up once per number: bulk sends of one brochure upload it once
      String sha = dev.wagateway.media.MediaStreams.sha256Hex(b.data());
      uploads = uploads.thenCompose(map -> engine.uploadOnce(account.phoneNumberId(), sha,
          () -> engine.graph().upload(account.phoneNumberId(), account.accessToken(), b.data(), b.mimeType(),
              fileName(message, b))).thenApply(id -> {
                map.put(b, id);
                return map;
              }));
    }
    return uploads.thenCompose(ids -> engine.graph().post(account.phoneNumberId() + "/messages",
        account.accessToken(), CloudApiPayloads.message(message, ids))).handle((resp, err) -> {
          if (err != null) {
            throw new CompletionException(sendFailure(unwrap(err)));
          }
          String id = resp.path("messages").path(0).path("id").asText("");
          if (id.isEmpty() || id.length() > 256) {
            throw new CompletionException(new EngineSendException(Failure.of(FailureType.TRANSIENT, "no_message_id",
                "the Graph API accepted the send but gave no message id")));
          }
          return new SendAck(id, engine.now());
        });
  }

  private static String fileName(OutboundMessage m, MediaSource.Bytes b) {
    if (m.content() instanceof dev.wagateway.message.MessageContent.Document d) {
      return d.fileName();
    }
    String sub = b.mimeType().substring(b.mimeType().indexOf('/') + 1);
    return "media." + sub.replaceAll("[^a-z0-9]", "");
  }

  /** The typed failure of a send; an account-level error also ends the session's connection. */
  private EngineSendException sendFailure(Throwable t) {
    if (t instanceof EngineSendException e) {
      return e;
    }
    if (t instanceof GraphException ge) {
      if (ge.network) {
        return new EngineSendException(Failure.of(FailureType.TRANSIENT, "unreachable", ge.getMessage()));
      }
      if (ge.error == null) {
        return new EngineSendException(MetaErrors.withoutError(ge.status));
      }
      Mapped m = MetaErrors.map(ge.error, engine.config());
      endOnAccountError(ge, m);
      return new EngineSendException(MetaErrors.withRetryAfter(m.failure(), ge.retryAfter));
    }
    return new EngineSendException(Failure.of(FailureType.TRANSIENT, "engine_error",
        "the send failed: " + t.getClass().getSimpleName()));
  }

  @Override
  public CompletionStage<Void> markRead(Jid chat, String messageId, boolean typing) {
    if (!isConnected() || account == null) {
      return CompletableFuture.failedFuture(new EngineSendException(
          Failure.of(FailureType.TRANSIENT, "not_connected", "the session is not connected")));
    }
    return engine.graph().post(account.phoneNumberId() + "/messages", account.accessToken(),
        CloudApiPayloads.markRead(messageId, typing)).handle((resp, err) -> {
          if (err != null) {
            throw new CompletionException(sendFailure(unwrap(err)));
          }
          return null;
        });
  }

  /** The watchdog found the session quiet: a cheap check of the number answers for it. */
  @Override
  public void probe() {
    if (!isConnected()) {
      return;
    }
    engine.graph().get(account.phoneNumberId() + FIELDS, account.accessToken()).whenComplete((info, err) -> {
      if (closed) {
        return;
      }
      if (err == null) {
        engine.checked(session.sessionId(), account.phoneNumberId(), true, info, null);
        warnOnQuality(info);
        listener.onActivity();
        return;
      }
      Throwable t = unwrap(err);
      if (t instanceof GraphException ge && ge.error != null) {
        endOnAccountError(ge, MetaErrors.map(ge.error, engine.config()));
      }
      // a network error leaves the session to the watchdog: no activity means it reconnects
    });
  }

  /** Hands a webhook's items for this number to the session; throws if the gateway could not take one. */
  void deliver(WebhookParser.Item item) {
    if (isConnected()) {
      listener.onActivity();
    }
    if (item instanceof WebhookParser.InboundItem in) {
      listener.onInbound(in.inbound());
    } else if (item instanceof WebhookParser.StatusItem s) {
      if (s.failure() != null) {
        listener.onSendFailed(s.providerMessageId(), s.failure(), s.at());
        if (s.sessionEffect() != null && isConnected()) {
          end(s.sessionEffect());
        }
      } else {
        listener.onReceipt(s.providerMessageId(), s.status(), s.at());
      }
    }
  }

  /** An error about the account (token, restriction, registration): recorded, and the connection ends. */
  private void endOnAccountError(GraphException ge, Mapped m) {
    if (m.session() != null) {
      engine.checked(session.sessionId(), account.phoneNumberId(), m.session().kind() != Disconnect.Kind.LOGGED_OUT,
          null, ge.error.code() + " " + ge.error.describe());
      end(m.session());
    }
  }

  @Override
  public void close() {
    closed = true;
    connected = false;
    var k = keepAlive;
    var a = accountCheck;
    if (k != null) {
      k.cancel();
    }
    if (a != null) {
      a.cancel();
    }
    if (account != null) {
      engine.unregister(account.phoneNumberId(), this);
    }
  }

  /** The Cloud API has no device to unlink: logging out ends the connection, the number stays registered. */
  @Override
  public void logout() {
    close();
  }

  private void end(Disconnect d) {
    if (closed) {
      return;
    }
    close();
    log.warn("session {} ends its Cloud API connection: {} ({})", session.sessionId(), d.kind(), d.code());
    listener.onDisconnected(d);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
