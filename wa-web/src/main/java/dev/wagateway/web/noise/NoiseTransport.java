package dev.wagateway.web.noise;

import java.util.Arrays;

/**
 * The cipher pair a finished handshake leaves: frames we send are encrypted with one key, frames
 * we receive decrypted with the other, each with its own counter. Not thread-safe: a connection
 * sends from one thread (or under a lock) and reads from one thread.
 */
public final class NoiseTransport {
  private static final byte[] NO_AAD = new byte[0];

  private final CipherState writer;
  private final CipherState reader;
  private final byte[] writeKeyCheck;
  private final byte[] readKeyCheck;

  NoiseTransport(byte[] writeKey, byte[] readKey) {
    this.writer = new CipherState(writeKey);
    this.reader = new CipherState(readKey);
    // kept only so tests can compare the split with a vector; never logged
    this.writeKeyCheck = writeKey.clone();
    this.readKeyCheck = readKey.clone();
  }

  public byte[] encrypt(byte[] plaintext) {
    return writer.encrypt(plaintext, NO_AAD);
  }

  /** Throws {@link dev.wagateway.web.ProtocolException} when the frame does not authenticate. */
  public byte[] decrypt(byte[] ciphertext) {
    return reader.decrypt(ciphertext, NO_AAD);
  }

  public long sentFrames() {
    return writer.counter();
  }

  public long receivedFrames() {
    return reader.counter();
  }

  boolean hasKeys(byte[] write, byte[] read) {
    return Arrays.equals(write, writeKeyCheck) && Arrays.equals(read, readKeyCheck);
  }

  @Override
  public String toString() {
    return "NoiseTransport[sent=" + writer.counter() + ", received=" + reader.counter() + "]";
  }
}
