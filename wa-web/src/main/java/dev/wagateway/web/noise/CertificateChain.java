package dev.wagateway.web.noise;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.crypto.XEdDsa;
import dev.wagateway.web.proto.WaProto;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Checks the certificate chain the server sends in its hello: an intermediate certificate signed
 * by the root key, a leaf signed by the intermediate, serials that link, validity periods that
 * cover now, and a leaf key equal to the server's Noise static key.
 */
public final class CertificateChain {
  /** WhatsApp's root certificate public key (issuer serial 0). */
  public static final byte[] WHATSAPP_ROOT_KEY = HexFormat.of()
      .parseHex("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b");
  public static final int ROOT_SERIAL = 0;

  private CertificateChain() {}

  static void verify(byte[] chainBytes, byte[] serverStatic, byte[] rootKey, Instant now) {
    WaProto.CertChain chain;
    try {
      chain = WaProto.CertChain.parseFrom(chainBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("server hello: the certificate chain is not a CertChain message");
    }
    if (!chain.hasIntermediate() || !chain.hasLeaf()) {
      throw new ProtocolException("server hello: the certificate chain lacks "
          + (chain.hasIntermediate() ? "the leaf" : "the intermediate"));
    }
    var intermediate = details(chain.getIntermediate(), "intermediate");
    var leaf = details(chain.getLeaf(), "leaf");
    if (intermediate.getIssuerSerial() != ROOT_SERIAL) {
      throw new ProtocolException("server hello: the intermediate certificate names issuer "
          + intermediate.getIssuerSerial() + ", not the root");
    }
    XEdDsa.requireValid(rootKey, chain.getIntermediate().getDetails().toByteArray(),
        chain.getIntermediate().getSignature().toByteArray(), "server hello: intermediate certificate");
    if (leaf.getIssuerSerial() != intermediate.getSerial()) {
      throw new ProtocolException("server hello: the leaf certificate's issuer " + leaf.getIssuerSerial()
          + " is not the intermediate " + intermediate.getSerial());
    }
    XEdDsa.requireValid(intermediate.getKey().toByteArray(), chain.getLeaf().getDetails().toByteArray(),
        chain.getLeaf().getSignature().toByteArray(), "server hello: leaf certificate");
    requireCurrent(intermediate, "intermediate", now);
    requireCurrent(leaf, "leaf", now);
    if (!MessageDigest.isEqual(leaf.getKey().toByteArray(), serverStatic)) {
      throw new ProtocolException("server hello: the leaf certificate is not for the server's static key");
    }
  }

  private static WaProto.CertChain.NoiseCertificate.Details details(
      WaProto.CertChain.NoiseCertificate cert, String which) {
    if (!cert.hasDetails() || !cert.hasSignature() || cert.getSignature().size() != 64) {
      throw new ProtocolException("server hello: the " + which + " certificate lacks details or a signature");
    }
    try {
      var details = WaProto.CertChain.NoiseCertificate.Details.parseFrom(cert.getDetails());
      if (details.getKey().size() != 32) {
        throw new ProtocolException("server hello: the " + which + " certificate's key is not 32 bytes");
      }
      return details;
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("server hello: the " + which + " certificate's details do not parse");
    }
  }

  private static void requireCurrent(WaProto.CertChain.NoiseCertificate.Details d, String which,
      Instant now) {
    long t = now.getEpochSecond();
    if (d.hasNotBefore() && t < d.getNotBefore()) {
      throw new ProtocolException("server hello: the " + which + " certificate is not valid before "
          + Instant.ofEpochSecond(d.getNotBefore()));
    }
    if (d.hasNotAfter() && d.getNotAfter() != 0 && t > d.getNotAfter()) {
      throw new ProtocolException("server hello: the " + which + " certificate expired at "
          + Instant.ofEpochSecond(d.getNotAfter()));
    }
  }
}
