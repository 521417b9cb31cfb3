package dev.wagateway.message;

import dev.wagateway.jid.Jid;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A message received by a session.
 *
 * @param id the message id on WhatsApp
 * @param chat the conversation: the sender for 1:1 chats, the group for group messages
 * @param sender who wrote it
 * @param replyTo the id of the quoted message, if it is a reply
 */
public record InboundMessage(
    String id,
    String sessionId,
    Jid chat,
    Jid sender,
    MessageContent content,
    @Nullable String replyTo,
    Instant timestamp) {}
