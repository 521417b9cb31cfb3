package dev.wagateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.WaGateway;
import dev.wagateway.WaGatewayBuilder;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.session.SessionInfo;
import dev.wagateway.session.SessionOptions;
import dev.wagateway.session.SessionState;
import dev.wagateway.time.VirtualTaskScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A gateway on the simulated network and virtual time (pacing off), with every event recorded
 * synchronously.
 * Public so that other modules' tests (through the test-jar) drive scenarios the same way.
 */
public final class SimHarness implements AutoCloseable {
  public final VirtualTaskScheduler time;
  public final SimulatedNetwork network;
  public final WaGateway gateway;
  public final List<GatewayEvent> events = new CopyOnWriteArrayList<>();

  public SimHarness() {
    this(SimulatedConfig.defaults(), b -> {});
  }

  public SimHarness(SimulatedConfig config, Consumer<WaGatewayBuilder> customizer) {
    this(new VirtualTaskScheduler(), config, customizer);
  }

  /** On a virtual scheduler made by the caller (to share its clock with objects built before). */
  public SimHarness(VirtualTaskScheduler time, SimulatedConfig config, Consumer<WaGatewayBuilder> customizer) {
    this.time = time;
    network = new SimulatedNetwork(time, config);
    // Pacing off unless a test turns it on: scenarios are about lifecycle, not anti-ban limits.
    WaGatewayBuilder b = WaGateway.builder().scheduler(time).engine(network.engine())
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()))
        .shutdownTimeout(Duration.ZERO);
    customizer.accept(b);
    gateway = b.build();
    gateway.events().subscribe(events::add, SubscribeOptions.sync("harness"));
    gateway.start();
  }

  /** Creates a session, scans its first QR code with {@code phone} and waits until CONNECTED. */
  public SessionInfo pair(String sessionId, String phone) {
    gateway.sessions().create(sessionId, SessionOptions.defaults());
    time.runPending();
    time.advance(network.config().latency());
    String qr = network.currentQr(sessionId);
    assertThat(qr).as("QR code shown for %s", sessionId).isNotNull();
    network.scan(qr, phone);
    time.runPending();
    SessionInfo info = gateway.sessions().require(sessionId);
    assertThat(info.state()).isEqualTo(SessionState.CONNECTED);
    return info;
  }

  public SessionState state(String sessionId) {
    return gateway.sessions().require(sessionId).state();
  }

  public <E extends GatewayEvent> List<E> events(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public <E extends GatewayEvent> List<E> events(Class<E> type, String sessionId) {
    return events(type).stream().filter(e -> e.sessionId().equals(sessionId)).toList();
  }

  @Override
  public void close() {
    gateway.close();
    time.close();
  }
}
