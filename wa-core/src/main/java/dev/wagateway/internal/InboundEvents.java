package dev.wagateway.internal;

import dev.wagateway.engine.Inbound;
import dev.wagateway.event.GatewayEvent;
import java.time.Instant;

/** Turns what an engine reports into gateway events. */
final class InboundEvents {
  private InboundEvents() {}

  static GatewayEvent toEvent(String eventId, Instant now, String sessionId, Inbound in) {
    if (in instanceof Inbound.Message m) {
      return new GatewayEvent.MessageReceived(eventId, now, sessionId, m.message());
    } else if (in instanceof Inbound.Reaction r) {
      return new GatewayEvent.ReactionReceived(eventId, now, sessionId, r.chat(), r.sender(),
          r.targetMessageId(), r.emoji());
    } else if (in instanceof Inbound.Edit e) {
      return new GatewayEvent.MessageEdited(eventId, now, sessionId, e.chat(), e.sender(),
          e.targetMessageId(), e.content());
    } else if (in instanceof Inbound.Revoke r) {
      return new GatewayEvent.MessageRevoked(eventId, now, sessionId, r.chat(), r.sender(),
          r.targetMessageId());
    } else if (in instanceof Inbound.Presence p) {
      return new GatewayEvent.PresenceUpdated(eventId, now, sessionId, p.jid(), p.presence());
    } else if (in instanceof Inbound.GroupChange g) {
      return new GatewayEvent.GroupUpdated(eventId, now, sessionId, g.group(), g.action(),
          g.participants(), g.actor());
    } else if (in instanceof Inbound.CallOffer c) {
      return new GatewayEvent.CallOffered(eventId, now, sessionId, c.callId(), c.from(), c.video());
    } else if (in instanceof Inbound.IdentityChanged i) {
      return new GatewayEvent.IdentityChanged(eventId, now, sessionId, i.contact());
    }
    throw new IllegalArgumentException("unknown inbound kind " + in.getClass().getName());
  }
}
