package dev.wagateway.benchmarks;

import dev.wagateway.web.binary.BinaryNodes;
import dev.wagateway.web.binary.Node;
import dev.wagateway.web.crypto.KeyPair;
import dev.wagateway.web.crypto.KeySource;
import dev.wagateway.web.crypto.XEdDsa;
import dev.wagateway.web.signal.CiphertextMessage;
import dev.wagateway.web.signal.InMemorySignalStore;
import dev.wagateway.web.signal.PreKeyBundle;
import dev.wagateway.web.signal.SignalAddress;
import dev.wagateway.web.signal.SignalSessions;
import dev.wagateway.web.signal.SignedPreKey;
import dev.wagateway.web.signal.WhatsAppPadding;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * wa-web's protocol core on one thread: binary node encode and decode (nodes/s, MB/s) for a small
 * receipt and a fan-out message stanza, Signal encrypt+decrypt per message (within a chain, and
 * with the ratchet turning on every message), and XEdDSA sign/verify.
 *
 * <p>Usage: {@code java -cp ... WebProtocolBenchmark [seconds per measurement] [rounds]}; prints
 * RESULT lines (median of the rounds, min–max).
 */
public final class WebProtocolBenchmark {
  private static volatile Object sink;

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
        + System.getProperty("java.version"));

    Node receipt = Node.of("receipt", Node.attributes("id", "3EB0C431D5E8A1F2", "to",
        "491701234567@s.whatsapp.net", "participant", "491701234567:12@s.whatsapp.net", "t", "1732345678"));
    List<Node> tos = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 8; i++) {
      byte[] ciphertext = new byte[120];
      random.nextBytes(ciphertext);
      tos.add(Node.of("to", Node.attributes("jid", "49170123456" + i + ":" + (i + 1) + "@s.whatsapp.net"),
          List.of(Node.of("enc", Node.attributes("v", "2", "type", "msg"), ciphertext))));
    }
    Node message = Node.of("message", Node.attributes("id", "3EB0AA12BC34", "to",
        "120363025246125888@g.us", "type", "text"), List.of(Node.of("participants", Node.attributes(), tos)));

    for (Node node : List.of(receipt, message)) {
      byte[] frame = BinaryNodes.encode(node);
      String name = node.tag() + " (" + frame.length + " B)";
      report("encode " + name, frame.length, measure(seconds, rounds, () -> sink = BinaryNodes.encode(node)));
      report("decode " + name, frame.length, measure(seconds, rounds, () -> sink = BinaryNodes.decode(frame)));
    }

    KeySource keys = KeySource.secure();
    SignalAddress aliceAddress = new SignalAddress("491701111111", 0);
    SignalAddress bobAddress = new SignalAddress("491702222222", 0);
    KeyPair aliceIdentity = keys.nextKeyPair();
    KeyPair bobIdentity = keys.nextKeyPair();
    InMemorySignalStore aliceStore = new InMemorySignalStore(aliceIdentity, 1111);
    InMemorySignalStore bobStore = new InMemorySignalStore(bobIdentity, 2222);
    SignedPreKey signed = SignedPreKey.generate(bobIdentity, 1, keys, random, Instant.now());
    bobStore.addSignedPreKey(signed);
    bobStore.addPreKey(7, keys.nextKeyPair());
    SignalSessions alice = new SignalSessions(aliceStore, keys);
    SignalSessions bob = new SignalSessions(bobStore, keys);
    alice.processPreKeyBundle(bobAddress, new PreKeyBundle(2222, 7, bobStore.preKey(7).orElseThrow().publicKey(),
        1, signed.keyPair().publicKey(), signed.signature(), bobIdentity.publicKey()));
    byte[] text = WhatsAppPadding.pad("a typical chat message of about sixty bytes, in UTF-8 ✓"
        .getBytes(StandardCharsets.UTF_8), 7);
    bob.decrypt(aliceAddress, alice.encrypt(bobAddress, text));
    alice.decrypt(bobAddress, bob.encrypt(aliceAddress, text));
    report("signal encrypt+decrypt, same chain", text.length, measure(seconds, rounds, () -> {
      CiphertextMessage m = alice.encrypt(bobAddress, text);
      sink = bob.decrypt(aliceAddress, m);
    }));
    boolean[] turn = {false};
    report("signal encrypt+decrypt, ratchet turns each message", text.length, measure(seconds, rounds, () -> {
      turn[0] = !turn[0];
      if (turn[0]) {
        sink = bob.decrypt(aliceAddress, alice.encrypt(bobAddress, text));
      } else {
        sink = alice.decrypt(bobAddress, bob.encrypt(aliceAddress, text));
      }
    }));
    byte[] toSign = new byte[100];
    byte[] signature = XEdDsa.sign(aliceIdentity.privateKey(), toSign, random);
    report("xeddsa sign", toSign.length, measure(seconds, rounds,
        () -> sink = XEdDsa.sign(aliceIdentity.privateKey(), toSign, random)));
    report("xeddsa verify", toSign.length, measure(seconds, rounds,
        () -> sink = XEdDsa.verify(aliceIdentity.publicKey(), toSign, signature)));
  }

  /** Operations per second, one figure per round. */
  private static double[] measure(double seconds, int rounds, Runnable op) {
    long warmupEnd = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warmupEnd) {
      op.run();
    }
    double[] rates = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long n = 0;
      long now;
      do {
        for (int i = 0; i < 64; i++) {
          op.run();
        }
        n += 64;
        now = System.nanoTime();
      } while (now < end);
      rates[r] = n / ((now - start) / 1e9);
    }
    return rates;
  }

  private static void report(String name, int bytes, double[] rates) {
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    System.out.println(String.format(Locale.ROOT,
        "RESULT %-52s %,12.0f ops/s  %8.1f MB/s  %8.2f µs/op  (min %,.0f, max %,.0f)",
        name, median, median * bytes / 1e6, 1e6 / median, sorted[0], sorted[sorted.length - 1]));
  }
}
