package dev.wagateway.web.signal;

/**
 * An encrypted Signal message as it goes into an {@code <enc type="…">} node: a pre-key message
 * while our first message is unanswered, a plain message after.
 */
public record CiphertextMessage(Type type, byte[] serialized) {
  public enum Type {
    /** PreKeySignalMessage: starts a session (the {@code enc} type {@code pkmsg}). */
    PKMSG("pkmsg"),
    /** SignalMessage: within a session (the {@code enc} type {@code msg}). */
    MSG("msg");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Type ofWireName(String name) {
      for (Type t : values()) {
        if (t.wireName.equals(name)) {
          return t;
        }
      }
      throw new dev.wagateway.web.ProtocolException("unknown enc type '" + name + "'");
    }
  }

  public CiphertextMessage {
    serialized = serialized.clone();
  }

  @Override
  public byte[] serialized() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CiphertextMessage m && type == m.type
        && java.util.Arrays.equals(serialized, m.serialized);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + java.util.Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "CiphertextMessage[" + type.wireName + ", " + serialized.length + " bytes]";
  }
}
