package dev.wagateway.web.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.Curve25519;
import dev.wagateway.web.crypto.Hashes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.proto.WaProto.HandshakeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

/**
 * The client side of Noise_XX_25519_AESGCM_SHA256 as WhatsApp runs it, with the prologue "WA", 6,
 * 3. Three steps, each callable once and in order:
 *
 * <ol>
 *   <li>{@link #clientHello()}: our ephemeral key;
 *   <li>{@link #readServerHello}: the server's ephemeral key, its encrypted static key and
 *       certificate chain (verified against the root key), then our encrypted static key and the
 *       client payload as the ClientFinish message;
 *   <li>{@link #finish()}: the transport cipher pair.
 * </ol>
 *
 * The messages returned are HandshakeMessage bytes; {@link FrameCodec} frames them.
 */
public final class NoiseHandshake {
  /** The intro header and Noise prologue: "WA", protocol major 6, dictionary version 3. */
  public static final byte[] WA_HEADER = {'W', 'A', 6, 3};

  private static final byte[] PROTOCOL_NAME =
      "Noise_XX_25519_AESGCM_SHA256\0\0\0\0".getBytes(StandardCharsets.US_ASCII);

  private enum Step { HELLO, SERVER_HELLO, FINISH, DONE }

  private final KeyPair ephemeral;
  private final KeyPair noiseStatic;
  private final byte[] rootKey;
  private final Clock clock;

  private byte[] hash = PROTOCOL_NAME.clone();
  private byte[] chainingKey = PROTOCOL_NAME.clone();
  private CipherState cipher;
  private Step step = Step.HELLO;

  /**
   * @param ephemeral a fresh key pair for this connection (from the engine's key source)
   * @param noiseStatic the device's long-lived Noise key
   * @param rootKey the certificate root: {@link CertificateChain#WHATSAPP_ROOT_KEY} outside tests
   */
  public NoiseHandshake(KeyPair ephemeral, KeyPair noiseStatic, byte[] rootKey, Clock clock) {
    if (rootKey.length != 32) {
      throw new IllegalArgumentException("rootKey must be 32 bytes");
    }
    this.ephemeral = ephemeral;
    this.noiseStatic = noiseStatic;
    this.rootKey = rootKey.clone();
    this.clock = clock;
    mixHash(WA_HEADER);
  }

  public byte[] clientHello() {
    expect(Step.HELLO);
    byte[] e = ephemeral.publicKey();
    mixHash(e);
    step = Step.SERVER_HELLO;
    return HandshakeMessage.newBuilder()
        .setClientHello(HandshakeMessage.ClientHello.newBuilder().setEphemeral(ByteString.copyFrom(e)))
        .build().toByteArray();
  }

  /**
   * Reads the server hello, verifies the server's certificate chain, and returns the ClientFinish
   * message carrying our static key and {@code clientPayload}. Any failure is a {@link
   * ProtocolException}, after which this handshake is unusable.
   */
  public byte[] readServerHello(byte[] serverHelloMessage, byte[] clientPayload) {
    expect(Step.SERVER_HELLO);
    step = Step.DONE; // unusable unless everything below succeeds
    HandshakeMessage.ServerHello hello;
    try {
      HandshakeMessage message = HandshakeMessage.parseFrom(serverHelloMessage);
      if (!message.hasServerHello()) {
        throw new ProtocolException("server hello: the message has no ServerHello");
      }
      hello = message.getServerHello();
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("server hello: not a HandshakeMessage");
    }
    byte[] serverEphemeral = hello.getEphemeral().toByteArray();
    if (serverEphemeral.length != 32 || hello.getStatic().isEmpty() || hello.getPayload().isEmpty()) {
      throw new ProtocolException("server hello: the ephemeral key, static key or payload is missing");
    }
    mixHash(serverEphemeral);
    mixKey(Curve25519.agree(ephemeral.privateKey(), serverEphemeral));
    byte[] serverStatic = decryptAndHash(hello.getStatic().toByteArray(), "static key");
    if (serverStatic.length != 32) {
      throw new ProtocolException("server hello: the static key is not 32 bytes");
    }
    mixKey(Curve25519.agree(ephemeral.privateKey(), serverStatic));
    byte[] certificates = decryptAndHash(hello.getPayload().toByteArray(), "certificate chain");
    CertificateChain.verify(certificates, serverStatic, rootKey, clock.instant());

    byte[] encryptedStatic = encryptAndHash(noiseStatic.publicKey());
    mixKey(Curve25519.agree(noiseStatic.privateKey(), serverEphemeral));
    byte[] encryptedPayload = encryptAndHash(clientPayload);
    step = Step.FINISH;
    return HandshakeMessage.newBuilder()
        .setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
            .setStatic(ByteString.copyFrom(encryptedStatic))
            .setPayload(ByteString.copyFrom(encryptedPayload)))
        .build().toByteArray();
  }

  /** The transport ciphers: the first derived key encrypts what we send, the second what we read. */
  public NoiseTransport finish() {
    expect(Step.FINISH);
    step = Step.DONE;
    byte[] keys = Hashes.hkdf(new byte[0], chainingKey, new byte[0], 64);
    NoiseTransport transport = new NoiseTransport(Arrays.copyOfRange(keys, 0, 32),
        Arrays.copyOfRange(keys, 32, 64));
    Arrays.fill(keys, (byte) 0);
    Arrays.fill(chainingKey, (byte) 0);
    return transport;
  }

  private void expect(Step expected) {
    if (step != expected) {
      throw new IllegalStateException("handshake step " + expected + " called at " + step);
    }
  }

  private void mixHash(byte[] data) {
    hash = Hashes.sha256(hash, data);
  }

  private void mixKey(byte[] inputKeyMaterial) {
    byte[] out = Hashes.hkdf(inputKeyMaterial, chainingKey, new byte[0], 64);
    chainingKey = Arrays.copyOfRange(out, 0, 32);
    cipher = new CipherState(Arrays.copyOfRange(out, 32, 64));
    Arrays.fill(out, (byte) 0);
  }

  private byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipher.encrypt(plaintext, hash);
    mixHash(ciphertext);
    return ciphertext;
  }

  private byte[] decryptAndHash(byte[] ciphertext, String what) {
    byte[] plaintext;
    try {
      plaintext = cipher.decrypt(ciphertext, hash);
    } catch (ProtocolException e) {
      throw new ProtocolException("server hello: the " + what + " does not decrypt");
    }
    mixHash(ciphertext);
    return plaintext;
  }
}
