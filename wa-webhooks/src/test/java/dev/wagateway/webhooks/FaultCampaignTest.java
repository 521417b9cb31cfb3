package dev.wagateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.Disconnect;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.session.ReconnectPolicy;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookSubscription;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A fault campaign (issue 12), bounded to about a minute: a gateway of 8 simulated sessions sends
 * 1,600 messages while the network storms (disconnects, refused reconnects, rate limits, transient
 * and permanent send failures, stalls, flaps), the queue store and the webhook outbox pause (every
 * call waits, as behind a database failing over), and the webhook receiver fails one request in
 * five and goes down for three seconds. Then the faults stop and everything
 * settles, and the campaign accounts for every message and every event: none lost, none stuck,
 * duplicates only with the same id. Runs in the {@code campaigns} profile (tag "campaign").
 */
@Tag("campaign")
class FaultCampaignTest {
  static final int SESSIONS = 8;
  static final int MESSAGES = 1600;
  static final Duration STORM = Duration.ofSeconds(20);
  static final Set<MessageStatus> TERMINAL = Set.of(MessageStatus.SENT, MessageStatus.DELIVERED,
      MessageStatus.READ, MessageStatus.PLAYED, MessageStatus.FAILED, MessageStatus.DEAD_LETTERED);

  /** Makes every call of a store wait while a pause is on: a slow disk, a database failing over. */
  static final class Pause {
    volatile long untilNanos;
    final AtomicInteger waited = new AtomicInteger();

    <T> T wrap(Class<T> type, T delegate) {
      return dev.wagateway.testing.Intercept.around(type, delegate, (method, args) -> {
        long wait = untilNanos - System.nanoTime();
        if (wait > 0) {
          waited.incrementAndGet();
          Thread.sleep(wait / 1_000_000 + 1);
        }
        return dev.wagateway.testing.Intercept.PROCEED;
      });
    }
  }

  @Test
  void stormsThenCalmEveryMessageAndEventAccountedFor() throws Exception {
    Random random = new Random(20261201);
    Map<String, Integer> received = new ConcurrentHashMap<>();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicLong downUntil = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean stormy = new java.util.concurrent.atomic.AtomicBoolean(true);
    WebhookVerifier[] verifier = new WebhookVerifier[1];
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    Random receiverRandom = new Random(7);
    receiver.createContext("/hook", x -> {
      requests.incrementAndGet();
      byte[] body = x.getRequestBody().readAllBytes();
      int status;
      boolean fail;
      synchronized (receiverRandom) {
        fail = stormy.get() && receiverRandom.nextInt(5) == 0;
      }
      if (System.nanoTime() < downUntil.get() || fail) {
        refused.incrementAndGet();
        status = fail ? 500 : 503;
      } else {
        String id = verifier[0].verify(x.getRequestHeaders()::getFirst, body);
        received.merge(id, 1, Integer::sum);
        status = 204;
      }
      x.sendResponseHeaders(status, -1);
      x.close();
    });
    receiver.start();

    TaskScheduler scheduler = TaskScheduler.system("campaign", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler, SimulatedConfig.defaults()
        .withLatency(Duration.ofMillis(2)).withDeliveryDelay(Duration.ofMillis(20)));
    network.deduplicateByMessageId(true);
    List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    Pause pause = new Pause();
    WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine())
        .queueStore(pause.wrap(dev.wagateway.queue.QueueStore.class, new dev.wagateway.queue.InMemoryQueueStore()))
        .webhookOutbox(pause.wrap(dev.wagateway.webhook.WebhookOutbox.class,
            new dev.wagateway.webhook.InMemoryWebhookOutbox()))
        .webhookDeliverer(HttpWebhookDeliverer.builder().allowPrivateNetworks(true).build())
        .webhooks(WebhookConfig.defaults().withSchedule(List.of(Duration.ZERO, Duration.ofMillis(100),
            Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(2))))
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off())
            .withRetry(new RetryPolicy(12, Duration.ofMillis(50), 2.0, 0.5, Duration.ofSeconds(1))))
        .reconnectPolicy(new ReconnectPolicy(Duration.ofMillis(50), 2.0, 0.5, Duration.ofSeconds(1), 100_000,
            Duration.ofMinutes(10), Duration.ofSeconds(1)))
        .build();
    gw.events().subscribe(events::add, SubscribeOptions.sync("campaign"));
    try {
      gw.start();
      WebhookSubscription sub = gw.webhooks().create(SubscriptionRequest.builder(
          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").build());
      verifier[0] = WebhookVerifier.builder().secret(sub.secrets().get(0)).build();
      for (int s = 0; s < SESSIONS; s++) {
        String id = "s" + s;
        gw.sessions().create(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> network.currentQr(id) != null);
        network.scan(network.currentQr(id), "+4917011111" + (10 + s));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.sessions().list().stream()
          .allMatch(i -> i.state() == SessionState.CONNECTED));

      // the storm: sends at a steady rate while faults rain on sessions, receiver and store
      Map<String, Integer> faults = new HashMap<>();
      List<OutboundMessage> sent = new ArrayList<>();
      long stormEnd = System.nanoTime() + STORM.toNanos();
      long perMessage = STORM.toNanos() / MESSAGES;
      long next = System.nanoTime();
      int m = 0;
      boolean receiverWentDown = false;
      while (m < MESSAGES) {
        String session = "s" + random.nextInt(SESSIONS);
        sent.add(gw.send(MessageRequest.builder().session(session).to("+4477009" + (10000 + random.nextInt(500)))
            .text("campaign " + m).build()));
        m++;
        if (m % 20 == 0) {
          String victim = "s" + random.nextInt(SESSIONS);
          var f = network.faults(victim);
          String kind = switch (random.nextInt(7)) {
            case 0 -> {
              f.disconnect();
              yield "disconnect";
            }
            case 1 -> {
              f.refuseConnects(2).disconnect(Disconnect.Kind.CONNECTION_LOST, "storm");
              yield "refused reconnects";
            }
            case 2 -> {
              f.rateLimit(5, Duration.ofMillis(300));
              yield "rate limit";
            }
            case 3 -> {
              f.failSends(0.3, 0.02, new Random(random.nextLong()));
              yield "failing sends";
            }
            case 4 -> {
              f.stall();
              scheduler.schedule(Duration.ofMillis(400), f::resume);
              yield "stall";
            }
            case 5 -> {
              pause.untilNanos = System.nanoTime() + 300_000_000L;
              yield "store pause 300 ms";
            }
            default -> {
              f.flap(2, Duration.ofMillis(100));
              yield "flap";
            }
          };
          faults.merge(kind, 1, Integer::sum);
        }
        if (!receiverWentDown && m >= MESSAGES / 2) {
          downUntil.set(System.nanoTime() + 3_000_000_000L);
          receiverWentDown = true;
          faults.merge("receiver down 3 s", 1, Integer::sum);
        }
        next += perMessage;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
      while (System.nanoTime() < stormEnd) {
        Thread.sleep(50);
      }

      // the calm: faults cleared, everything settles
      stormy.set(false);
      for (int s = 0; s < SESSIONS; s++) {
        network.faults("s" + s).clear();
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
          sent.stream().allMatch(o -> TERMINAL.contains(gw.message(o.id()).orElseThrow().status())));
      Set<String> published = ConcurrentHashMap.newKeySet();
      events.forEach(e -> published.add(e.id()));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        events.forEach(e -> published.add(e.id()));
        return received.keySet().containsAll(published);
      });

      // the accounting
      Map<MessageStatus, Integer> byStatus = new EnumMap<>(MessageStatus.class);
      for (OutboundMessage o : sent) {
        byStatus.merge(gw.message(o.id()).orElseThrow().status(), 1, Integer::sum);
      }
      Set<String> onTheWire = new java.util.HashSet<>();
      network.sentMessages().forEach(s -> onTheWire.add(s.gatewayMessageId()));
      long accepted = sent.stream().map(o -> gw.message(o.id()).orElseThrow().status())
          .filter(s -> s != MessageStatus.FAILED && s != MessageStatus.DEAD_LETTERED).count();
      long acceptedAndDelivered = sent.stream().filter(o -> {
        MessageStatus s = gw.message(o.id()).orElseThrow().status();
        return s != MessageStatus.FAILED && s != MessageStatus.DEAD_LETTERED;
      }).filter(o -> onTheWire.contains(o.id())).count();
      int duplicates = received.values().stream().mapToInt(n -> n - 1).sum();
      events.forEach(e -> published.add(e.id())); // receipts may still have come in meanwhile
      Set<String> unknown = new java.util.HashSet<>(received.keySet());
      unknown.removeAll(published);
      System.out.println("FAULT CAMPAIGN (" + SESSIONS + " sessions, " + MESSAGES + " messages, storm "
          + STORM.toSeconds() + " s)");
      System.out.println("  faults injected: " + faults);
      System.out.println("  store calls that waited out a pause: " + pause.waited.get());
      System.out.println("  messages by final status: " + byStatus);
      System.out.println("  accepted by WhatsApp: " + accepted + ", of which seen on the network: "
          + acceptedAndDelivered + "; repeated sends recognised by id: " + network.repeatedSends());
      System.out.println("  events published: " + published.size() + ", received by the webhook: "
          + received.size() + " (" + duplicates + " duplicate deliveries, same id), requests "
          + requests.get() + ", refused " + refused.get() + ", unknown ids " + unknown.size());

      assertThat(byStatus.keySet()).as("none stuck").allMatch(TERMINAL::contains);
      assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum()).as("none lost").isEqualTo(MESSAGES);
      assertThat(acceptedAndDelivered).as("every message WhatsApp accepted is on the network").isEqualTo(accepted);
      assertThat(received.keySet()).as("every event reached the webhook").containsAll(published);
      assertThat(unknown).as("nothing the gateway did not publish").isEmpty();
      assertThat(faults.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(MESSAGES / 20);
      assertThat(refused.get()).as("the receiver really failed").isPositive();
      assertThat(pause.waited.get()).as("the store pauses really held calls up").isPositive();
    } finally {
      gw.close();
      scheduler.close();
      receiver.stop(0);
    }
  }
}
