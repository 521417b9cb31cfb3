package dev.wagateway.web.signal;

import dev.wagateway.web.ProtocolException;

/** A Signal peer: a user (phone number or LID digits) and one of its devices. */
public record SignalAddress(String name, int deviceId) {
  public SignalAddress {
    if (name == null || name.isEmpty() || name.length() > 64 || name.indexOf('.') >= 0) {
      throw new IllegalArgumentException("a Signal address name is 1..64 characters without '.'");
    }
    if (deviceId < 0 || deviceId > 255) {
      throw new IllegalArgumentException("a Signal device id is 0..255, got " + deviceId);
    }
  }

  /** Parses the {@code name.device} form, e.g. {@code 491701111111.0}. */
  public static SignalAddress parse(String s) {
    int dot = s.lastIndexOf('.');
    if (dot <= 0) {
      throw new ProtocolException("a Signal address is name.device, got '" + s + "'");
    }
    try {
      return new SignalAddress(s.substring(0, dot), Integer.parseInt(s.substring(dot + 1)));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("a Signal address is name.device, got '" + s + "'");
    }
  }

  @Override
  public String toString() {
    return name + "." + deviceId;
  }
}
