package dev.wagateway.metrics;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SubscriptionRequest;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Observations around sends and webhook deliveries, checked with micrometer-observation-test. */
class WaObservationsTest {
  final TestObservationRegistry registry = TestObservationRegistry.create();
  /** Every context at its stop, as a tracer would see it. */
  final java.util.List<io.micrometer.observation.Observation.Context> stopped =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  SimHarness h;

  {
    registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
      @Override
      public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(io.micrometer.observation.Observation.Context context) {
        stopped.add(context);
      }
    });
  }

  void start(WaObservations observations) {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.operationObserver(observations)
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()).withRetry(RetryPolicy.none()))
        .webhookDeliverer(r -> CompletableFuture.completedFuture(r.url().getHost().startsWith("ok")
            ? DeliveryResult.status(204, Duration.ofMillis(2), "", null)
            : DeliveryResult.status(503, Duration.ofMillis(2), "", null))));
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aSentMessageIsOneStoppedObservationWithBoundedKeys() {
    start(WaObservations.builder(registry).build());
    h.pair("a", "+49 170 1111111");
    var m = h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("hello").build());
    h.time.advance(Duration.ofSeconds(5));

    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("whatsapp.message.send", 1)
        .hasObservationWithNameEqualTo("whatsapp.message.send").that()
        .hasBeenStarted().hasBeenStopped().doesNotHaveError()
        .hasContextualNameEqualTo("whatsapp send text")
        .hasLowCardinalityKeyValue("whatsapp.session", "a")
        .hasLowCardinalityKeyValue("whatsapp.message.type", "text")
        .hasLowCardinalityKeyValue("whatsapp.outcome", "sent")
        .hasHighCardinalityKeyValue("whatsapp.message.id", m.id())
        .hasHighCardinalityKeyValue("whatsapp.attempt", "1");
    assertThat(stopped).hasSize(1);
    stopped.forEach(c -> assertThat(c.getAllKeyValues().toString())
        .as("no phone number or text in any key").doesNotContain("4477009").doesNotContain("hello"));
  }

  @Test
  void aFailedSendIsAnObservationWithAnError() {
    start(WaObservations.builder(registry).build());
    h.pair("a", "+49 170 1111111");
    h.network.faults("a").failSends(0, 1.0, new Random(7));
    h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("x").build());
    h.time.advance(Duration.ofSeconds(5));

    assertThat(registry).hasObservationWithNameEqualTo("whatsapp.message.send").that()
        .hasBeenStopped().hasLowCardinalityKeyValue("whatsapp.outcome", "permanent")
        .assertThatError().isInstanceOf(WaObservations.WaOperationFailure.class)
        .hasMessageStartingWith("send permanent");
  }

  @Test
  void webhookAttemptsAreObservedWithOutcomeAndStatus() {
    start(WaObservations.builder(registry).build());
    h.gateway.webhooks().create(SubscriptionRequest.builder("https://ok.example.com/hook")
        .eventTypes(Set.of("session.created")).build());
    var down = h.gateway.webhooks().create(SubscriptionRequest.builder("https://down.example.com/hook")
        .eventTypes(Set.of("session.created")).build());
    h.gateway.sessions().create("a");
    h.time.advance(Duration.ofSeconds(1));

    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("whatsapp.webhook.delivery", 2);
    assertThat(stopped).as("both attempts ended").hasSize(2);
    assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo("whatsapp.webhook.delivery")
        .hasLowCardinalityKeyValue("whatsapp.outcome", "success")
        .hasLowCardinalityKeyValue("whatsapp.event.type", "session.created")
        .hasHighCardinalityKeyValue("http.response.status_code", "204")
        .doesNotHaveError());
    assertThat(registry).hasAnObservation(o -> o.hasNameEqualTo("whatsapp.webhook.delivery")
        .hasLowCardinalityKeyValue("whatsapp.outcome", "retry")
        .hasHighCardinalityKeyValue("whatsapp.subscription.id", down.id())
        .hasHighCardinalityKeyValue("http.response.status_code", "503")
        .hasError());
  }

  @Test
  void aCustomConventionReplacesTheNames() {
    MessageSendObservationConvention custom = new MessageSendObservationConvention() {
      @Override
      public String getName() {
        return "acme.send";
      }

      @Override
      public KeyValues getLowCardinalityKeyValues(MessageSendContext context) {
        return KeyValues.of("acme.type", context.contentType());
      }
    };
    start(WaObservations.builder(registry).sendConvention(custom).build());
    h.pair("a", "+49 170 1111111");
    h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("x").build());
    h.time.advance(Duration.ofSeconds(5));
    assertThat(registry).hasObservationWithNameEqualTo("acme.send").that()
        .hasLowCardinalityKeyValue("acme.type", "text").hasBeenStopped();
    assertThat(registry).doesNotHaveAnyRemainingCurrentObservation();
  }

  @Test
  void aNoopRegistryCostsNothingAndSessionTagsAreBounded() {
    WaObservations noop = WaObservations.builder(ObservationRegistry.NOOP).build();
    assertThat(noop.sendStarted("s", "msg_1", "text", 1)).isSameAs(dev.wagateway.observe.OperationObserver.Operation.NOOP);
    start(WaObservations.builder(registry).maxSessionTags(1).build());
    h.pair("a", "+49 170 1111111");
    h.pair("b", "+49 170 2222222");
    h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("x").build());
    h.time.advance(Duration.ofSeconds(5));
    h.gateway.send(MessageRequest.builder().session("b").to("+44 7700 900222").text("x").build());
    h.time.advance(Duration.ofSeconds(5));
    assertThat(registry).hasAnObservation(o -> o.hasLowCardinalityKeyValue("whatsapp.session", "a"))
        .hasAnObservation(o -> o.hasLowCardinalityKeyValue("whatsapp.session", "other"));
  }
}
