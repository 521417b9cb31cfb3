package dev.wagateway.cloudapi;

import static org.awaitility.Awaitility.await;

import dev.wagateway.WaGateway;
import dev.wagateway.WaGatewayBuilder;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.store.InMemorySeenIds;
import dev.wagateway.store.SeenIds;
import dev.wagateway.time.VirtualTaskScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A gateway on virtual time with the Cloud API engine talking to a {@link FakeGraph}. HTTP answers
 * come on real threads, so waits poll: each poll first runs what is due on the virtual clock.
 */
final class CloudHarness implements AutoCloseable {
  static final String SECRET = "app-secret-for-tests";
  static final String VERIFY = "verify-token-for-tests";

  final FakeGraph graph;
  final VirtualTaskScheduler time = new VirtualTaskScheduler();
  final CloudApiEngine engine;
  final WaGateway gateway;
  final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

  CloudHarness() throws Exception {
    this(new InMemorySeenIds(), b -> {}, c -> {});
  }

  CloudHarness(SeenIds seen, Consumer<CloudApiConfig.Builder> config, Consumer<WaGatewayBuilder> gw)
      throws Exception {
    graph = new FakeGraph().number("1001", "+1 555-010-0001").number("1002", "15550100002");
    CloudApiConfig.Builder cb = CloudApiConfig.builder().baseUrl(graph.baseUrl()).appSecret(SECRET).verifyToken(VERIFY)
        .account("sales", "1001", FakeGraph.TOKEN).account("support", "1002", FakeGraph.TOKEN);
    config.accept(cb);
    engine = CloudApiEngine.builder(cb.build()).seenIds(seen).scheduler(time).build();
    WaGatewayBuilder b = WaGateway.builder().scheduler(time).engine(engine)
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off())).shutdownTimeout(Duration.ZERO);
    gw.accept(b);
    gateway = b.build();
    gateway.events().subscribe(events::add, SubscribeOptions.sync("harness"));
    gateway.start();
  }

  void connect(String sessionId) {
    gateway.sessions().create(sessionId, SessionOptions.defaults());
    until(() -> gateway.sessions().require(sessionId).state() == SessionState.CONNECTED);
  }

  /** Polls {@code condition}, running due virtual-time tasks before each look. */
  void until(BooleanSupplier condition) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
      time.runPending();
      return condition.getAsBoolean();
    });
  }

  /**
   * Moves virtual time on in small steps, giving HTTP answers real time to land between steps
   * (one big jump would run send timeouts before the fake server had a chance to answer).
   */
  void advanceUntil(Duration step, int maxSteps, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < maxSteps && !condition.getAsBoolean(); i++) {
      time.advance(step);
      Thread.sleep(15);
    }
    until(condition);
  }

  MessageInfo awaitStatus(String messageId, MessageStatus status) {
    until(() -> gateway.message(messageId).map(m -> m.status() == status).orElse(false));
    return gateway.message(messageId).orElseThrow();
  }

  <E extends GatewayEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Posts a webhook body signed with the app secret. */
  CloudApiWebhookHandler.Response post(String body) {
    return engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
        java.util.Map.of("X-Hub-Signature-256", "sha256=" + sign(SECRET, body)), body.getBytes(StandardCharsets.UTF_8)));
  }

  static String sign(String secret, String body) {
    return java.util.HexFormat.of().formatHex(CloudApiWebhookHandler.hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    gateway.close();
    graph.close();
  }
}
