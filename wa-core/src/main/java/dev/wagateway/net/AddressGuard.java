package dev.wagateway.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * The SSRF guard: refuses targets that resolve to loopback, private, link-local, carrier-grade NAT,
 * unique-local, multicast or unspecified addresses, so a webhook subscription or a media URL cannot
 * make the gateway call into its own network. Checked after DNS resolution. The HTTP client resolves again when it
 * connects, so a DNS answer that changes between the two (rebinding) is not caught here.
 */
public final class AddressGuard {
  private AddressGuard() {}

  /** The first non-public address {@code host} resolves to, or null if all are public. */
  public static @Nullable InetAddress firstNonPublic(String host) throws UnknownHostException {
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (!isPublic(a)) {
        return a;
      }
    }
    return null;
  }

  public static boolean isPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
        || a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      boolean cgnat = first == 100 && second >= 64 && second <= 127; // 100.64.0.0/10
      boolean thisNetwork = first == 0; // 0.0.0.0/8
      boolean benchmarking = first == 198 && (second == 18 || second == 19); // 198.18.0.0/15
      boolean reserved = first >= 240; // 240.0.0.0/4 and broadcast
      return !(cgnat || thisNetwork || benchmarking || reserved);
    }
    if (a instanceof Inet6Address) {
      boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
      return !uniqueLocal;
    }
    return true;
  }
}
