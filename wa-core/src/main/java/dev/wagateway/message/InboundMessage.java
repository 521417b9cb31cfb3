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
 * @param senderProfile what the provider told about the sender, when it did
 */
public record InboundMessage(
    String id,
    String sessionId,
    Jid chat,
    Jid sender,
    MessageContent content,
    @Nullable String replyTo,
    Instant timestamp,
    @Nullable SenderProfile senderProfile) {

  public InboundMessage(String id, String sessionId, Jid chat, Jid sender, MessageContent content,
      @Nullable String replyTo, Instant timestamp) {
    this(id, sessionId, chat, sender, content, replyTo, timestamp, null);
  }

  /**
   * The sender as the provider describes it. The Cloud API gives a profile name, since 2026 an
   * optional username, and a business-scoped user id that stays when a phone number is hidden;
   * keep the user id beside the phone number to recognise a user who later hides it.
   *
   * @param name the profile name the user set (not verified)
   * @param username the user's WhatsApp username, if they chose one (it can change)
   * @param userId the business-scoped user id (stable for this business until the user changes number)
   */
  public record SenderProfile(@Nullable String name, @Nullable String username, @Nullable Jid userId) {
    /** Never prints the name or username: they identify a person. */
    @Override
    public String toString() {
      return "SenderProfile[name=" + (name == null ? "none" : "<" + name.length() + " chars>") + ", username="
          + (username == null ? "none" : "<set>") + ", userId=" + userId + "]";
    }
  }
}
