package dev.wagateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wagateway.WaException;
import dev.wagateway.WaGateway;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.engine.simulated.SimulatedNetwork;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.event.SubscribeOptions;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.time.TaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  @Test
  void closeWaitsForSendsInFlightThenStopsSessionsAndRefusesNewSends() throws Exception {
    TaskScheduler scheduler = TaskScheduler.system("shutdown-test", 2);
    SimulatedNetwork network = new SimulatedNetwork(scheduler,
        SimulatedConfig.defaults().withLatency(Duration.ofMillis(300)));
    WaGateway gw = WaGateway.builder().scheduler(scheduler).engine(network.engine())
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()))
        .shutdownTimeout(Duration.ofSeconds(10)).build();
    List<GatewayEvent> events = new ArrayList<>();
    gw.events().subscribe(events::add, SubscribeOptions.sync("all"));
    try {
      gw.start();
      gw.sessions().create("a");
      await().atMost(Duration.ofSeconds(5)).until(() -> network.currentQr("a") != null);
      network.scan(network.currentQr("a"), "+49 170 1111111");
      await().atMost(Duration.ofSeconds(5)).until(() ->
          gw.sessions().require("a").state() == SessionState.CONNECTED);

      List<OutboundMessage> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(gw.send(MessageRequest.builder().session("a").to("+44 7700 9002" + (10 + i)).text("m" + i).build()));
      }
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() ->
          gw.message(sent.get(19).id()).orElseThrow().status() == MessageStatus.SENDING);
      long inFlightAtClose = sent.stream()
          .filter(m -> gw.message(m.id()).orElseThrow().status() == MessageStatus.SENDING).count();
      gw.close();

      // the sends in flight when close() began (acks take 300 ms) were all answered before it returned
      assertThat(inFlightAtClose).isPositive();
      assertThat(sent).allSatisfy(m ->
          assertThat(gw.message(m.id()).orElseThrow().status().isAccepted()).as(m.id()).isTrue());
      assertThat(events.stream().filter(e -> e instanceof GatewayEvent.SessionStateChanged s
          && s.to() == SessionState.STOPPED)).hasSize(1);
      assertThat(gw.isRunning()).isFalse();
      assertThatThrownBy(() -> gw.send(MessageRequest.builder().session("a").to("+44 7700 900222")
          .text("late").build())).isInstanceOf(WaException.class).hasMessageContaining("shutting down");
      assertThatThrownBy(gw::start).isInstanceOf(WaException.class);
      gw.close(); // idempotent
    } finally {
      scheduler.close();
    }
  }
}
