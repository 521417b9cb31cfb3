package dev.wagateway.internal;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered unique ids ({@code prefix_} + 26 Crockford base32 characters: 48 bits of epoch
 * milliseconds, 80 random bits), so ids sort by creation time in logs and databases.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final Clock clock;

  public Ids(Clock clock) {
    this.clock = clock;
  }

  public String next(String prefix) {
    long time = clock.millis();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong() & 0xFFFFL; // 16 random bits
    long lo = r.nextLong(); // 64 random bits
    char[] out = new char[prefix.length() + 1 + 26];
    prefix.getChars(0, prefix.length(), out, 0);
    int p = prefix.length();
    out[p++] = '_';
    for (int i = 9; i >= 0; i--) { // 10 chars = 50 bits of time (top 2 bits zero)
      out[p + i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    p += 10;
    // 16 chars = 80 random bits: the low 60 bits of lo in the last 12 chars, then the top 4 bits
    // of lo with the 16 bits of hi in the first 4.
    long bits = lo;
    for (int i = 15; i >= 4; i--) {
      out[p + i] = ALPHABET[(int) (bits & 31)];
      bits >>>= 5;
    }
    long rest = (hi << 4) | (lo >>> 60); // 20 bits
    for (int i = 3; i >= 0; i--) {
      out[p + i] = ALPHABET[(int) (rest & 31)];
      rest >>>= 5;
    }
    return new String(out);
  }
}
