package dev.wagateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.TaskScheduler;
import dev.wagateway.webhook.DeliveryFilter;
import dev.wagateway.webhook.SubscriptionRequest;
import dev.wagateway.webhook.WebhookConfig;
import dev.wagateway.webhook.WebhookDeliverer;
import dev.wagateway.webhook.WebhookDelivery;
import dev.wagateway.webhook.WebhookSubscription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gateway, an HTTP deliverer and a receiver that verifies every signature, on real threads; run
 * for every HTTP deliverer (one subclass each).
 */
abstract class WebhookEndToEndTest {
  static final List<Duration> FAST = List.of(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(300),
      Duration.ofMillis(600), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
      Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));

  HttpServer receiver;
  final AtomicBoolean up = new AtomicBoolean(true);
  final AtomicInteger requests = new AtomicInteger();
  /** Events the receiver refused (by their webhook-id) while it was down, each counted once. */
  final Set<String> refusedWhileDown = ConcurrentHashMap.newKeySet();
  final AtomicInteger badSignatures = new AtomicInteger();
  final ConcurrentHashMap<String, Integer> receivedIds = new ConcurrentHashMap<>();
  volatile WebhookVerifier verifier;
  TaskScheduler scheduler;
  SimulatedNetwork network;
  WebhookDeliverer deliverer;
  WaGateway gw;
  final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    receiver.createContext("/hook", x -> {
      requests.incrementAndGet();
      byte[] body = x.getRequestBody().readAllBytes();
      int status;
      if (!up.get()) {
        String id = x.getRequestHeaders().getFirst(WebhookSigner.WEBHOOK_ID);
        if (id != null) {
          refusedWhileDown.add(id);
        }
        status = 503;
      } else {
        try {
          String id = verifier.verify(x.getRequestHeaders()::getFirst, body);
          receivedIds.merge(id, 1, Integer::sum);
          status = 204;
        } catch (WebhookVerificationException e) {
          badSignatures.incrementAndGet();
          status = 401;
        }
      }
      x.sendResponseHeaders(status, -1);
      x.close();
    });
    receiver.start();
    scheduler = TaskScheduler.system("e2e", 2);
    network = new SimulatedNetwork(scheduler, SimulatedConfig.defaults().withReadDelay(Duration.ofMillis(50)));
    deliverer = openDeliverer();
  }

  /** The deliverer under test, allowed to reach the loopback receiver. */
  abstract WebhookDeliverer openDeliverer();

  void startGateway(WebhookConfig config) {
    gw = WaGateway.builder().scheduler(scheduler).engine(network.engine()).webhookDeliverer(deliverer)
        .webhooks(config).queue(QueueConfig.defaults().withPacing(PacingPolicy.off())).build();
    gw.events().subscribe(events::add, SubscribeOptions.sync("test"));
    gw.start();
  }

  @AfterEach
  void tearDown() {
    if (gw != null) {
      gw.close();
    }
    WebhookDelivererContract.close(deliverer);
    scheduler.close();
    receiver.stop(0);
  }

  String hookUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  void pair(String session, String phone) {
    gw.sessions().create(session);
    await().atMost(Duration.ofSeconds(5)).until(() -> network.currentQr(session) != null);
    network.scan(network.currentQr(session), phone);
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.sessions().require(session).state() == SessionState.CONNECTED);
  }

  @Test
  void receiverDownForAWhileThenBackGetsEveryEventWithStableIds() {
    startGateway(WebhookConfig.defaults().withSchedule(FAST));
    WebhookSubscription sub = gw.webhooks().create(SubscriptionRequest.builder(hookUrl()).build());
    verifier = WebhookVerifier.builder().secret(sub.secrets().get(0)).build();
    pair("a", "+49 170 1111111");
    up.set(false);
    for (int i = 0; i < 20; i++) {
      gw.send(MessageRequest.builder().session("a").to("+4477009002" + (10 + i)).text("m" + i).build());
    }
    // down until more than 20 different deliveries have been refused (not a request count: a few
    // fast retries of the same event would reach that first on a slow machine)
    await().atMost(Duration.ofSeconds(10)).until(() -> refusedWhileDown.size() > 20);
    up.set(true);

    await().atMost(Duration.ofSeconds(30)).until(() ->
        events.stream().map(GatewayEvent::id).allMatch(receivedIds::containsKey));
    Set<String> published = Set.copyOf(events.stream().map(GatewayEvent::id).toList());
    assertThat(receivedIds.keySet()).isEqualTo(published);
    assertThat(badSignatures).hasValue(0);
    // the receiver has them all; the dispatcher records the last outcomes a moment after the 204s
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gw.webhooks().deliveries(DeliveryFilter.of(sub.id()).limit(10_000))).hasSize(published.size())
            .allSatisfy(d -> assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED)));
    List<WebhookDelivery> log = gw.webhooks().deliveries(DeliveryFilter.of(sub.id()).limit(10_000));
    assertThat(log.stream().filter(d -> d.attempts() > 1).count()).as("retried while down").isGreaterThan(20);
    assertThat(log).anySatisfy(d -> assertThat(d.log().get(0).statusCode()).isEqualTo(503));
  }

  @Test
  void anEndpointPastTheThresholdIsDisabledThenEnabledAndReplayed() {
    startGateway(WebhookConfig.defaults().withSchedule(FAST).withDisableAfter(Duration.ofDays(5), 5));
    WebhookSubscription sub = gw.webhooks().create(SubscriptionRequest.builder(hookUrl())
        .eventTypes(Set.of("session.created")).build());
    verifier = WebhookVerifier.builder().secret(sub.secrets().get(0)).build();
    up.set(false);
    gw.sessions().create("x", SessionOptions.defaults().withAutoStart(false));
    await().atMost(Duration.ofSeconds(10)).until(() -> !gw.webhooks().get(sub.id()).orElseThrow().enabled());
    assertThat(gw.webhooks().get(sub.id()).orElseThrow().disabledReason()).isEqualTo("5 failed attempts in a row");
    assertThat(events).anyMatch(e -> e instanceof GatewayEvent.WebhookEndpointDisabled d && d.subscriptionId().equals(sub.id()));
    int before = requests.get();
    // created while the endpoint is disabled: held in the outbox, not lost
    gw.sessions().create("y", SessionOptions.defaults().withAutoStart(false));
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(requests.get()).as("nothing is sent while disabled").isEqualTo(before);

    up.set(true);
    gw.webhooks().enable(sub.id());
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedIds.size() == 2);
    assertThat(requests.get()).isGreaterThan(before);

    String deliveryId = gw.webhooks().deliveries(DeliveryFilter.of(sub.id())).get(0).id();
    String eventId = gw.webhooks().delivery(deliveryId).orElseThrow().eventId();
    assertThat(gw.webhooks().redeliver(deliveryId)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> receivedIds.get(eventId) == 2);
  }

  @Test
  void aClientErrorIsNotRetriedAndNoSecretIsLogged() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      startGateway(WebhookConfig.defaults().withSchedule(FAST));
      WebhookSubscription sub = gw.webhooks().create(SubscriptionRequest.builder(hookUrl())
          .header("Authorization", "Bearer sk-live-777").eventTypes(Set.of("session.created")).build());
      verifier = WebhookVerifier.builder().secret(dev.wagateway.webhook.WebhookSecret.generate()).build(); // wrong: 401
      gw.sessions().create("x", SessionOptions.defaults().withAutoStart(false));
      await().atMost(Duration.ofSeconds(10)).until(() ->
          gw.webhooks().deliveries(DeliveryFilter.of(sub.id())).get(0).status() == WebhookDelivery.Status.DEAD);
      await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(requests).as("401 is permanent: one attempt").hasValue(1);
      assertThat(badSignatures).hasValue(1);
      String secret = sub.secrets().get(0).encoded();
      for (ILoggingEvent e : logs.list) {
        assertThat(e.getFormattedMessage()).doesNotContain(secret).doesNotContain(secret.substring(6))
            .doesNotContain("sk-live-777");
      }
      for (GatewayEvent e : events) {
        assertThat(e.toString()).doesNotContain(secret.substring(6)).doesNotContain("sk-live-777");
      }
    } finally {
      root.detachAppender(logs);
    }
  }
}
