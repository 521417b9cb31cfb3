package dev.wagateway.web.pairing;

import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.binary.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The QR texts a new device shows: one per ref of the server's pair-device iq, in order (they
 * rotate; the first lasts about a minute, the rest about 20 seconds each). The phone scans the
 * text to learn our Noise key, identity key and ADV secret.
 */
public final class QrCodes {
  /** What the phone's camera opens; the rest of the text follows the '#'. */
  public static final String PREFIX = "https://wa.me/settings/linked_devices#";
  private static final int MAX_REF = 256;

  private QrCodes() {}

  /** The QR text for one ref. */
  public static String text(String ref, RegistrationKeys keys, DeviceConfig config) {
    if (ref.isEmpty() || ref.length() > MAX_REF || ref.indexOf(',') >= 0) {
      throw new ProtocolException("pair-device: a ref must be 1.." + MAX_REF + " characters without commas");
    }
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + ref
        + "," + b64.encodeToString(keys.noiseKey().publicKey())
        + "," + b64.encodeToString(keys.identityKey().publicKey())
        + "," + b64.encodeToString(keys.advSecretKey())
        + "," + config.platformType().getNumber();
  }

  /** The refs of a {@code <iq><pair-device><ref>…</ref>…</pair-device></iq>}, in order. */
  public static List<String> refs(Node pairDeviceIq) {
    Node pairDevice = pairDeviceIq.requireChild("pair-device");
    List<String> refs = new ArrayList<>();
    for (Node child : pairDevice.children()) {
      if (child.tag().equals("ref")) {
        byte[] ref = child.requireBytes();
        refs.add(new String(ref, StandardCharsets.UTF_8));
      }
    }
    if (refs.isEmpty()) {
      throw new ProtocolException("pair-device: no ref to show");
    }
    return refs;
  }
}
