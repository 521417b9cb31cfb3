package dev.wagateway.web.pairing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.InvalidRecipientException;
import dev.wagateway.jid.Jid;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.Hashes;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.XEdDsa;
import dev.wagateway.web.proto.WaProto.ADVDeviceIdentity;
import dev.wagateway.web.proto.WaProto.ADVEncryptionType;
import dev.wagateway.web.proto.WaProto.ADVSignedDeviceIdentity;
import dev.wagateway.web.proto.WaProto.ADVSignedDeviceIdentityHMAC;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a new device does when the phone has scanned its QR code and the server sends
 * {@code <iq><pair-success>…}: it checks that the device identity is MACed with its own ADV secret
 * and signed by the account key, countersigns it with its identity key, and answers with
 * {@code <pair-device-sign>}. Anything that does not check out is a {@link ProtocolException} and
 * nothing is answered.
 */
public final class PairSuccess {
  private static final byte[] ACCOUNT_SIGNATURE_PREFIX = {6, 0};
  private static final byte[] DEVICE_SIGNATURE_PREFIX = {6, 1};
  private static final byte[] HOSTED_ACCOUNT_PREFIX = {6, 5};

  /**
   * The verified outcome.
   *
   * @param me this device's JID ({@code user:device@s.whatsapp.net})
   * @param lid this device's LID, when the server sent one
   * @param platform the phone's platform ("android", "smba", …), when sent
   * @param businessName the business name, for a business account
   * @param signedIdentity the account-signed identity with our device signature: kept with the
   *     credentials, and sent again in pre-key messages
   * @param keyIndex the identity's key index
   * @param reply the iq to send back
   */
  public record Result(Jid me, @Nullable Jid lid, @Nullable String platform,
      @Nullable String businessName, byte[] signedIdentity, int keyIndex, Node reply) {
    public Result {
      signedIdentity = signedIdentity.clone();
    }

    @Override
    public byte[] signedIdentity() {
      return signedIdentity.clone();
    }

    @Override
    public String toString() {
      return "PairSuccess.Result[me=" + me + ", platform=" + platform + ", keyIndex=" + keyIndex + "]";
    }
  }

  private PairSuccess() {}

  public static Result process(Node iq, KeyPair identityKey, byte[] advSecretKey, SecureRandom random) {
    String id = iq.requireAttr("id");
    Node pairSuccess = iq.requireChild("pair-success");
    byte[] deviceIdentity = pairSuccess.requireChild("device-identity").requireBytes();
    Node deviceNode = pairSuccess.requireChild("device");
    Jid me = jid("jid", deviceNode.requireAttr("jid"));
    String lidText = deviceNode.attr("lid");
    Jid lid = lidText == null ? null : jid("lid", lidText);
    String platform = pairSuccess.child("platform").map(n -> n.attr("name")).orElse(null);
    String businessName = pairSuccess.child("biz").map(n -> n.attr("name")).orElse(null);

    ADVSignedDeviceIdentityHMAC hmac = parse(() -> ADVSignedDeviceIdentityHMAC.parseFrom(deviceIdentity),
        "the device identity");
    if (!hmac.hasDetails() || !hmac.hasHmac()) {
      throw new ProtocolException("pair-success: the device identity lacks its details or HMAC");
    }
    boolean hosted = hmac.getAccountType() == ADVEncryptionType.HOSTED;
    byte[] details = hmac.getDetails().toByteArray();
    byte[] expectedMac = Hashes.hmacSha256(advSecretKey, hosted ? HOSTED_ACCOUNT_PREFIX : new byte[0],
        details);
    if (!MessageDigest.isEqual(expectedMac, hmac.getHmac().toByteArray())) {
      throw new ProtocolException("pair-success: the device identity's HMAC does not match our ADV secret");
    }

    ADVSignedDeviceIdentity account = parse(() -> ADVSignedDeviceIdentity.parseFrom(details),
        "the signed device identity");
    byte[] accountKey = account.getAccountSignatureKey().toByteArray();
    byte[] accountDetails = account.getDetails().toByteArray();
    byte[] identityPublic = identityKey.publicKey();
    if (accountKey.length != 32 || account.getAccountSignature().size() != 64 || accountDetails.length == 0) {
      throw new ProtocolException("pair-success: the account key, signature or details are malformed");
    }
    byte[] signed = Bytes.concat(hosted ? HOSTED_ACCOUNT_PREFIX : ACCOUNT_SIGNATURE_PREFIX, accountDetails,
        identityPublic);
    XEdDsa.requireValid(accountKey, signed, account.getAccountSignature().toByteArray(),
        "pair-success: the account signature");

    ADVDeviceIdentity identity = parse(() -> ADVDeviceIdentity.parseFrom(accountDetails),
        "the device identity details");
    byte[] deviceSignature = XEdDsa.sign(identityKey.privateKey(),
        Bytes.concat(DEVICE_SIGNATURE_PREFIX, accountDetails, identityPublic, accountKey), random);
    ADVSignedDeviceIdentity countersigned = account.toBuilder()
        .setDeviceSignature(ByteString.copyFrom(deviceSignature)).build();
    ADVSignedDeviceIdentity forReply = countersigned.toBuilder().clearAccountSignatureKey().build();

    Node reply = Node.of("iq", Node.attributes("to", "@s.whatsapp.net", "type", "result", "id", id),
        List.of(Node.of("pair-device-sign", Node.attributes(), List.of(
            Node.of("device-identity", Node.attributes("key-index", Integer.toString(identity.getKeyIndex())),
                forReply.toByteArray())))));
    return new Result(me, lid, platform, businessName, countersigned.toByteArray(),
        identity.getKeyIndex(), reply);
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser, String what) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("pair-success: " + what + " does not parse");
    }
  }

  private static Jid jid(String attr, String value) {
    try {
      return Jid.parse("pair-success device " + attr, value);
    } catch (InvalidRecipientException e) {
      throw new ProtocolException("pair-success: " + e.getMessage());
    }
  }
}
