package dev.wagateway.web.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill the JVM between receiving a message and acknowledging it: after a restart the server
 * redelivers it and the gateway emits it, once.
 */
class CrashRecoveryInteropTest {
  static final Duration WAIT = Duration.ofSeconds(40);

  /** A CrashNode JVM with its output collected line by line. */
  static final class Node implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Node(MockServer mock, Path db) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          CrashNode.class.getName(), mock.url.toString(), mock.testRootHex, db.toString())
          .redirectErrorStream(true).start();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, "crash-node-out");
      t.setDaemon(true);
      t.start();
    }

    String awaitLine(String prefix) {
      return await().atMost(WAIT).until(() -> lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
          .orElse(null), l -> l != null);
    }

    void tell(String command) throws IOException {
      OutputStream out = process.getOutputStream();
      out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    long received(String text) {
      return lines.stream().filter(l -> l.startsWith("RECEIVED ") && l.endsWith(" " + text)).count();
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Stanzas the server delivered (or holds) for our device that were not acknowledged yet. */
  static int unsettled(MockServer mock, String phone) {
    for (var account : mock.state().path("accounts")) {
      if (phone.equals(account.path("phone").asText())) {
        int n = 0;
        for (var device : account.path("devices")) {
          n += device.path("unacked").asInt() + device.path("queued").asInt();
        }
        return n;
      }
    }
    return -1;
  }

  @Test
  void aMessageReceivedButNotAcknowledgedWhenTheJvmDiesIsEmittedOnceAfterTheRestart(@TempDir Path dir)
      throws Exception {
    try (MockServer mock = MockServer.start()) {
      MockServer.Peer peer = mock.peer("491702222222", "B");
      Path db = dir.resolve("gateway.db");
      String ourPhone = "491703333333";
      try (Node first = new Node(mock, db)) {
        String qr = first.awaitLine("QR ").substring(3);
        mock.post("/control/scan", MockServer.JSON.createObjectNode().put("qr", qr).put("phone", ourPhone).toString());
        first.awaitLine("CONNECTED");
        peer.send(ourPhone, "before the crash");
        await().atMost(WAIT).until(() -> first.received("before the crash") == 1);
        // everything so far is acknowledged (and so stored): the next write is the new message's
        await().atMost(WAIT).until(() -> unsettled(mock, ourPhone) == 0);

        first.tell("arm");
        first.awaitLine("ARMED");
        peer.send(ourPhone, "survives the crash");
        assertThat(first.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the JVM halted").isTrue();
        assertThat(first.process.exitValue()).isEqualTo(137);
        assertThat(first.lines).contains("HALT");
        assertThat(first.received("survives the crash")).as("killed before it was emitted").isZero();
        assertThat(unsettled(mock, ourPhone)).as("delivered to the dead JVM, never acknowledged").isEqualTo(1);
      }
      assertThat(Files.exists(db)).isTrue();
      try (Node second = new Node(mock, db)) {
        second.awaitLine("CONNECTED");
        assertThat(second.lines).noneMatch(l -> l.startsWith("QR "));
        await().atMost(WAIT).until(() -> second.received("survives the crash") == 1);
        // the ack reached the server this time: nothing is redelivered, nothing emitted twice
        Thread.sleep(1500);
        assertThat(second.received("survives the crash")).isEqualTo(1);
        assertThat(unsettled(mock, ourPhone)).isZero();
        assertThat(second.lines).as("the plaintext kept before the crash was used: no decryption, no retry")
            .noneMatch(l -> l.contains("cannot decrypt"));
        assertThat(second.received("before the crash")).as("acknowledged before the crash").isZero();
        peer.send(ourPhone, "after the restart");
        await().atMost(WAIT).until(() -> second.received("after the restart") == 1);
      }
    }
  }
}
