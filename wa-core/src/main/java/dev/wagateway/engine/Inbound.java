package dev.wagateway.engine;

import dev.wagateway.jid.Jid;
import dev.wagateway.message.InboundMessage;
import dev.wagateway.message.MessageContent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Something that arrived for a session, as an engine reports it; the core turns each into a
 * {@link dev.wagateway.event.GatewayEvent} with an id and timestamp of its own.
 */
public sealed interface Inbound {

  record Message(InboundMessage message) implements Inbound {}

  record Reaction(Jid chat, Jid sender, String targetMessageId, String emoji) implements Inbound {}

  record Edit(Jid chat, Jid sender, String targetMessageId, MessageContent content)
      implements Inbound {}

  record Revoke(Jid chat, Jid sender, String targetMessageId) implements Inbound {}

  record Presence(Jid jid, String presence) implements Inbound {}

  record GroupChange(Jid group, String action, List<Jid> participants, @Nullable Jid actor)
      implements Inbound {
    public GroupChange {
      participants = List.copyOf(participants);
    }
  }

  record CallOffer(String callId, Jid from, boolean video) implements Inbound {}

  /**
   * A contact's encryption identity changed (they reinstalled WhatsApp or changed phones): their
   * security code is new. Messages keep flowing; an operator may want to know.
   */
  record IdentityChanged(Jid contact) implements Inbound {}
}
