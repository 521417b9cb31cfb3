package dev.wagateway.session;

import dev.wagateway.jid.Jid;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A read-only snapshot of a session.
 *
 * @param self the linked account, once paired
 * @param stateSince when the session entered its state
 * @param reason why it entered its state (e.g. {@code reconnect loop: 10 reconnects within PT10M})
 * @param lastActivity the last frame or keep-alive answer seen from the engine
 * @param reconnectAttempt the current backoff attempt; 0 when the connection is stable
 * @param disconnectedSince since when the session has not been connected (through every
 *     reconnect attempt in between); null while CONNECTED or DEGRADED, or before it was started
 */
public record SessionInfo(
    String id,
    SessionState state,
    @Nullable Jid self,
    Instant createdAt,
    Instant stateSince,
    String reason,
    @Nullable Instant lastActivity,
    int reconnectAttempt,
    PairingMethod pairing,
    @Nullable Instant disconnectedSince) {}
