package dev.wagateway.web.pairing;

import com.google.protobuf.ByteString;
import dev.wagateway.web.crypto.Bytes;
import dev.wagateway.web.crypto.Curve25519;
import dev.wagateway.web.proto.WaProto.ClientPayload;
import dev.wagateway.web.proto.WaProto.DeviceProps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ClientPayload the client sends inside the Noise ClientFinish: for registration (a new
 * device, which then shows QR codes) and for login (a device already linked).
 */
public final class ClientPayloads {
  private ClientPayloads() {}

  /** The payload of a device not yet linked: its keys, so the phone can pair it. */
  public static byte[] registration(DeviceConfig config, RegistrationKeys keys) {
    ClientPayload.DevicePairingRegistrationData pairing =
        ClientPayload.DevicePairingRegistrationData.newBuilder()
            .setERegid(ByteString.copyFrom(Bytes.bigEndian(keys.registrationId(), 4)))
            .setEKeytype(ByteString.copyFrom(new byte[] {Curve25519.DJB_TYPE}))
            .setEIdent(ByteString.copyFrom(keys.identityKey().publicKey()))
            .setESkeyId(ByteString.copyFrom(Bytes.bigEndian(keys.signedPreKeyId(), 3)))
            .setESkeyVal(ByteString.copyFrom(keys.signedPreKey().publicKey()))
            .setESkeySig(ByteString.copyFrom(keys.signedPreKeySignature()))
            .setBuildHash(ByteString.copyFrom(md5(config.versionString())))
            .setDeviceProps(deviceProps(config).toByteString())
            .build();
    return base(config)
        .setPassive(false)
        .setPull(false)
        .setDevicePairingData(pairing)
        .build().toByteArray();
  }

  /** The payload of a linked device logging in as {@code user}'s device {@code device}. */
  public static byte[] login(DeviceConfig config, long user, int device) {
    if (user <= 0 || device < 0 || device > 255) {
      throw new IllegalArgumentException("login needs a positive user number and a device 0..255");
    }
    return base(config)
        .setUsername(user)
        .setPassive(true)
        .setPull(true)
        .setDevice(device)
        .setLidDbMigrated(false)
        .build().toByteArray();
  }

  private static ClientPayload.Builder base(DeviceConfig config) {
    ClientPayload.UserAgent userAgent = ClientPayload.UserAgent.newBuilder()
        .setPlatform(ClientPayload.UserAgent.Platform.WEB)
        .setAppVersion(ClientPayload.UserAgent.AppVersion.newBuilder()
            .setPrimary(config.version().get(0))
            .setSecondary(config.version().get(1))
            .setTertiary(config.version().get(2)))
        .setMcc("000")
        .setMnc("000")
        .setOsVersion("0.1")
        .setDevice("Desktop")
        .setOsBuildNumber("0.1")
        .setReleaseChannel(ClientPayload.UserAgent.ReleaseChannel.RELEASE)
        .setLocaleLanguageIso6391(config.languageCode())
        .setLocaleCountryIso31661Alpha2(config.countryCode())
        .build();
    return ClientPayload.newBuilder()
        .setUserAgent(userAgent)
        .setWebInfo(ClientPayload.WebInfo.newBuilder()
            .setWebSubPlatform(ClientPayload.WebInfo.WebSubPlatform.WEB_BROWSER))
        .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
        .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED);
  }

  static DeviceProps deviceProps(DeviceConfig config) {
    return DeviceProps.newBuilder()
        .setOs(config.os())
        .setVersion(DeviceProps.AppVersion.newBuilder().setPrimary(10).setSecondary(15).setTertiary(7))
        .setPlatformType(config.platformType())
        .setRequireFullSync(false)
        .setHistorySyncConfig(DeviceProps.HistorySyncConfig.newBuilder()
            .setStorageQuotaMb(10240)
            .setInlineInitialPayloadInE2EeMsg(true)
            .setSupportCallLogHistory(false)
            .setSupportBotUserAgentChatHistory(true)
            .setSupportCagReactionsAndPolls(true)
            .setSupportBizHostedMsg(true)
            .setSupportRecentSyncChunkMessageCountTuning(true)
            .setSupportHostedGroupMsg(true)
            .setSupportFbidBotChatHistory(true)
            .setSupportMessageAssociation(true)
            .setSupportGroupHistory(false))
        .build();
  }


  private static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }
}
