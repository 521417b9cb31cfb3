package dev.wagateway.examples.demo;

import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageContent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway on the simulated engine: two sessions pair by QR, exchange messages, and every event is
 * printed. Runs in a few seconds of real time, with no phone and no network.
 */
public final class Demo {
  static final String ALICE = "+49 170 1111111";
  static final String BOB = "+44 7700 900222";

  private Demo() {}

  public static void main(String[] args) throws InterruptedException {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Map<MessageStatus, Integer> summary = run(messages, System.out);
    System.out.println("final statuses: " + summary);
    if (summary.getOrDefault(MessageStatus.READ, 0) != messages * 2) {
      System.exit(1);
    }
  }

  /** Runs the demo, printing to {@code out}; returns how many messages ended in each status. */
  static Map<MessageStatus, Integer> run(int messagesEach, PrintStream out) throws InterruptedException {
    TaskScheduler scheduler = TaskScheduler.system("demo", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler,
        SimulatedConfig.defaults().withReadDelay(Duration.ofMillis(300)));
    // Default pacing, except the per-recipient gap: 6 s between messages to one person (Meta's pair
    // rate) would make this demo take half a minute.
    QueueConfig queue = QueueConfig.defaults()
        .withPacing(PacingPolicy.defaults().withRecipientGap(Duration.ofMillis(200)));
    try (WaGateway gateway = WaGateway.builder().scheduler(scheduler).engine(network.engine())
        .queue(queue).build()) {
      gateway.events().subscribe(e -> out.println(describe(e)), SubscribeOptions.sync("printer"));
      gateway.start();

      for (String[] who : new String[][] {{"alice", ALICE}, {"bob", BOB}}) {
        gateway.sessions().create(who[0]);
        String qr = waitFor(() -> network.currentQr(who[0]));
        out.printf("%n>>> %s's phone (%s) scans the QR code%n%n", who[0], who[1]);
        network.scan(qr, who[1]);
        waitFor(() -> gateway.sessions().require(who[0]).state() == SessionState.CONNECTED ? true : null);
      }

      List<OutboundMessage> sent = new ArrayList<>();
      for (int i = 1; i <= messagesEach; i++) {
        sent.add(gateway.send(MessageRequest.builder().session("alice").to(BOB).text("Hi Bob, #" + i).build()));
        sent.add(gateway.send(MessageRequest.builder().session("bob").to(ALICE).text("Hi Alice, #" + i).build()));
      }
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline && !sent.stream().allMatch(m ->
          gateway.message(m.id()).orElseThrow().status() == MessageStatus.READ)) {
        Thread.sleep(20);
      }
      Map<MessageStatus, Integer> summary = new EnumMap<>(MessageStatus.class);
      for (OutboundMessage m : sent) {
        summary.merge(gateway.message(m.id()).orElseThrow().status(), 1, Integer::sum);
      }
      return summary;
    } finally {
      scheduler.close();
    }
  }

  static String describe(GatewayEvent e) {
    String what;
    if (e instanceof GatewayEvent.SessionStateChanged s) {
      what = s.from() + " -> " + s.to() + " (" + s.reason() + ")";
    } else if (e instanceof GatewayEvent.QrCodeIssued q) {
      what = "scan me: " + q.code();
    } else if (e instanceof GatewayEvent.MessageStatusChanged m) {
      what = m.messageId() + " " + m.status() + " to " + m.to();
    } else if (e instanceof GatewayEvent.MessageReceived r) {
      what = "from " + r.message().sender() + ": "
          + (r.message().content() instanceof MessageContent.Text t ? t.body() : r.message().content().type());
    } else {
      what = "";
    }
    return String.format("%-7s %-22s %s", e.sessionId(), e.type(), what);
  }

  private interface Probe<T> {
    T get();
  }

  private static <T> T waitFor(Probe<T> probe) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the simulated network did not answer in 10 s");
  }
}
