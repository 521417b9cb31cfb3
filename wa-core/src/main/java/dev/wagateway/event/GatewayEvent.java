package dev.wagateway.event;

import dev.wagateway.jid.Jid;
import dev.wagateway.message.Failure;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything that happens in a gateway, as one closed hierarchy. Every event has a stable unique
 * {@link #id()} (receivers de-duplicate on it), a timestamp, the session it concerns and a
 * {@link #type()} name used by webhooks and filters. No event carries credentials or tokens.
 */
public sealed interface GatewayEvent {

  String id();

  Instant timestamp();

  /** The session the event concerns. */
  String sessionId();

  /** A stable dotted name such as {@code message.status}; docs/events.md lists them all. */
  String type();

  // ---- sessions ----

  record SessionCreated(String id, Instant timestamp, String sessionId) implements GatewayEvent {
    @Override
    public String type() {
      return "session.created";
    }
  }

  record SessionDeleted(String id, Instant timestamp, String sessionId) implements GatewayEvent {
    @Override
    public String type() {
      return "session.deleted";
    }
  }

  /** A lifecycle transition and why it happened. */
  record SessionStateChanged(String id, Instant timestamp, String sessionId, SessionState from,
      SessionState to, String reason) implements GatewayEvent {
    @Override
    public String type() {
      return "session.state_changed";
    }
  }

  /** A new QR code to scan; it replaces the previous one and is valid until {@code expiresAt}. */
  record QrCodeIssued(String id, Instant timestamp, String sessionId, String code,
      Instant expiresAt) implements GatewayEvent {
    @Override
    public String type() {
      return "session.qr";
    }
  }

  /** A code to type on the phone (pairing by phone number). */
  record PairingCodeIssued(String id, Instant timestamp, String sessionId, String code,
      Instant expiresAt) implements GatewayEvent {
    @Override
    public String type() {
      return "session.pairing_code";
    }
  }

  /** The session is linked to {@code self}. */
  record SessionPaired(String id, Instant timestamp, String sessionId, Jid self)
      implements GatewayEvent {
    @Override
    public String type() {
      return "session.paired";
    }
  }

  /** The next connection attempt is due after {@code delay}. */
  record ReconnectScheduled(String id, Instant timestamp, String sessionId, int attempt,
      Duration delay, String cause) implements GatewayEvent {
    @Override
    public String type() {
      return "session.reconnect_scheduled";
    }
  }

  // ---- outbound messages ----

  /**
   * An outbound message moved to {@code status}; {@code failure} is set for FAILED and
   * DEAD_LETTERED; {@code acceptedAt} is when the gateway accepted it (latency = timestamp - acceptedAt).
   */
  record MessageStatusChanged(String id, Instant timestamp, String sessionId, String messageId,
      Jid to, String contentType, MessageStatus status, @Nullable Failure failure, int attempt,
      Instant acceptedAt) implements GatewayEvent {
    @Override
    public String type() {
      return "message.status";
    }
  }

  /** The session's sending is paused until {@code until}: failure breaker or a rate limit. */
  record SendingPaused(String id, Instant timestamp, String sessionId, Instant until, String reason)
      implements GatewayEvent {
    @Override
    public String type() {
      return "queue.paused";
    }
  }

  /** The session sends again after a pause. */
  record SendingResumed(String id, Instant timestamp, String sessionId) implements GatewayEvent {
    @Override
    public String type() {
      return "queue.resumed";
    }
  }

  /**
   * The gateway disabled a webhook endpoint that kept failing. {@code sessionId} is the
   * subscription's session, or empty for a subscription to all sessions.
   */
  record WebhookEndpointDisabled(String id, Instant timestamp, String sessionId,
      String subscriptionId, String reason) implements GatewayEvent {
    @Override
    public String type() {
      return "webhook.endpoint_disabled";
    }
  }

  /**
   * A built-in alert fired (or {@code test}: a test notification from {@code alerts().testFire}).
   * {@code sessionId} is the session it is about, or empty for the gateway as a whole.
   */
  record AlertFiring(String id, Instant timestamp, String sessionId, String rule, String severity,
      String summary, double value, double threshold, boolean test) implements GatewayEvent {
    @Override
    public String type() {
      return "alert.firing";
    }
  }

  /** A built-in alert that had notified stopped firing. */
  record AlertResolved(String id, Instant timestamp, String sessionId, String rule, String severity,
      @Nullable Instant firingSince) implements GatewayEvent {
    @Override
    public String type() {
      return "alert.resolved";
    }
  }

  // ---- inbound ----

  record MessageReceived(String id, Instant timestamp, String sessionId, InboundMessage message)
      implements GatewayEvent {
    @Override
    public String type() {
      return "message.received";
    }
  }

  /** A reaction to a message; an empty emoji removed one. */
  record ReactionReceived(String id, Instant timestamp, String sessionId, Jid chat, Jid sender,
      String targetMessageId, String emoji) implements GatewayEvent {
    @Override
    public String type() {
      return "message.reaction";
    }
  }

  record MessageEdited(String id, Instant timestamp, String sessionId, Jid chat, Jid sender,
      String targetMessageId, MessageContent content) implements GatewayEvent {
    @Override
    public String type() {
      return "message.edited";
    }
  }

  record MessageRevoked(String id, Instant timestamp, String sessionId, Jid chat, Jid sender,
      String targetMessageId) implements GatewayEvent {
    @Override
    public String type() {
      return "message.revoked";
    }
  }

  /** {@code presence} is e.g. available, unavailable, composing, recording. */
  record PresenceUpdated(String id, Instant timestamp, String sessionId, Jid jid, String presence)
      implements GatewayEvent {
    @Override
    public String type() {
      return "presence.updated";
    }
  }

  /** {@code action} is e.g. add, remove, promote, demote, subject, description. */
  record GroupUpdated(String id, Instant timestamp, String sessionId, Jid group, String action,
      List<Jid> participants, @Nullable Jid actor) implements GatewayEvent {
    public GroupUpdated {
      participants = List.copyOf(participants);
    }

    @Override
    public String type() {
      return "group.updated";
    }
  }

  record CallOffered(String id, Instant timestamp, String sessionId, String callId, Jid from,
      boolean video) implements GatewayEvent {
    @Override
    public String type() {
      return "call.offered";
    }
  }

  /** A contact's encryption identity changed: their security code is new (engines with end-to-end keys). */
  record IdentityChanged(String id, Instant timestamp, String sessionId, Jid contact) implements GatewayEvent {
    @Override
    public String type() {
      return "contact.identity_changed";
    }
  }
}
