package dev.wagateway.message;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of an outbound message: what was asked, where it is now, how it got there.
 *
 * @param attempts how many times the engine was asked to send it
 * @param providerMessageId the id the engine gave it on WhatsApp, once sent
 */
public record MessageInfo(
    OutboundMessage message,
    MessageStatus status,
    List<StatusLog.Change> history,
    int attempts,
    @Nullable String providerMessageId) {}
