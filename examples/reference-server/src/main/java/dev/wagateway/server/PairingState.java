package dev.wagateway.server;

import dev.wagateway.event.GatewayEvent;
import dev.wagateway.session.SessionState;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The current QR code or pairing code of each session that is pairing, kept from the event stream
 * (a SYNC listener: a code is there as soon as its event is published). A session's code is dropped
 * when it pairs, leaves the pairing state or is deleted.
 */
final class PairingState {
  record Code(String value, Instant issuedAt, @Nullable Instant expiresAt) {}

  private final Map<String, Code> qr = new ConcurrentHashMap<>();
  private final Map<String, Code> pairingCodes = new ConcurrentHashMap<>();

  void on(GatewayEvent e) {
    if (e instanceof GatewayEvent.QrCodeIssued q) {
      qr.put(q.sessionId(), new Code(q.code(), q.timestamp(), q.expiresAt()));
    } else if (e instanceof GatewayEvent.PairingCodeIssued p) {
      pairingCodes.put(p.sessionId(), new Code(p.code(), p.timestamp(), p.expiresAt()));
    } else if (e instanceof GatewayEvent.SessionPaired || e instanceof GatewayEvent.SessionDeleted
        || (e instanceof GatewayEvent.SessionStateChanged s && s.to() != SessionState.PAIRING)) {
      forget(e.sessionId());
    }
  }

  private void forget(String session) {
    qr.remove(session);
    pairingCodes.remove(session);
  }

  @Nullable Code qr(String session) {
    return qr.get(session);
  }

  @Nullable Code pairingCode(String session) {
    return pairingCodes.get(session);
  }
}
