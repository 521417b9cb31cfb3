package dev.wagateway.web.pairing;

import dev.wagateway.ValidationException;
import dev.wagateway.web.proto.WaProto.DeviceProps.PlatformType;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the companion device presents itself: the WhatsApp Web version it claims, the "browser"
 * triple shown on the phone's linked-devices list (operating system, browser, OS version), and
 * the locale sent in the user agent.
 *
 * @param version WhatsApp Web's version as three numbers (primary, secondary, tertiary)
 * @param os shown as the device's operating system (DeviceProps.os), e.g. "Ubuntu"
 * @param browser one of {@link PlatformType}'s names, case-insensitive, e.g. "Chrome"
 * @param osVersion the third element of the browser triple, e.g. "22.04.4"
 * @param countryCode ISO 3166-1 alpha-2, upper case
 * @param languageCode ISO 639-1, lower case
 */
public record DeviceConfig(List<Integer> version, String os, String browser, String osVersion,
    String countryCode, String languageCode) {
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");

  public DeviceConfig {
    if (version == null || version.size() != 3 || version.stream().anyMatch(v -> v == null || v < 0)) {
      throw new ValidationException("version", "three non-negative numbers, got " + version);
    }
    version = List.copyOf(version);
    requireText(os, "os");
    requireText(browser, "browser");
    requireText(osVersion, "osVersion");
    platformType(browser);
    if (countryCode == null || !COUNTRY.matcher(countryCode).matches()) {
      throw new ValidationException("countryCode", "two upper-case letters (ISO 3166-1), got " + countryCode);
    }
    if (languageCode == null || !LANGUAGE.matcher(languageCode).matches()) {
      throw new ValidationException("languageCode", "two lower-case letters (ISO 639-1), got " + languageCode);
    }
  }

  /** The version as WhatsApp writes it, "2.3000.1043857760". */
  public String versionString() {
    return version.get(0) + "." + version.get(1) + "." + version.get(2);
  }

  PlatformType platformType() {
    return platformType(browser);
  }

  private static PlatformType platformType(String browser) {
    try {
      PlatformType type = PlatformType.valueOf(browser.toUpperCase(Locale.ROOT).replace(' ', '_'));
      if (type == PlatformType.UNKNOWN) {
        throw new IllegalArgumentException();
      }
      return type;
    } catch (IllegalArgumentException e) {
      throw new ValidationException("browser", "one of Chrome, Firefox, IE, Opera, Safari, Edge, "
          + "Desktop, iPad, Android tablet; got '" + browser + "'");
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank() || value.length() > 64) {
      throw new ValidationException(field, "1 to 64 characters");
    }
  }
}
