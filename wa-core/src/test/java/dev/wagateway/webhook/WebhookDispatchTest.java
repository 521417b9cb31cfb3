package dev.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.ValidationException;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.testing.SimHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery through the gateway on virtual time, with a scripted deliverer. */
class WebhookDispatchTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Records every attempt; answers by a script; answers can be held to test concurrency. */
  static final class Script implements WebhookDeliverer {
    final List<WebhookRequest> seen = new CopyOnWriteArrayList<>();
    final List<Instant> at = new CopyOnWriteArrayList<>();
    volatile Function<WebhookRequest, DeliveryResult> answer = r -> ok();
    final List<CompletableFuture<DeliveryResult>> held = Collections.synchronizedList(new ArrayList<>());
    volatile boolean hold;
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final java.util.Map<String, AtomicInteger> openByHost = new java.util.concurrent.ConcurrentHashMap<>();
    SimHarness h;

    @Override
    public CompletableFuture<DeliveryResult> deliver(WebhookRequest r) {
      seen.add(r);
      at.add(h.time.now());
      if (hold) {
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        AtomicInteger perHost = openByHost.computeIfAbsent(r.url().getHost(), k -> new AtomicInteger());
        perHost.incrementAndGet();
        CompletableFuture<DeliveryResult> f = new CompletableFuture<>();
        held.add(f);
        return f.whenComplete((x, e) -> {
          open.decrementAndGet();
          perHost.decrementAndGet();
        });
      }
      return CompletableFuture.completedFuture(answer.apply(r));
    }

    void releaseAll() {
      List<CompletableFuture<DeliveryResult>> copy;
      synchronized (held) {
        copy = new ArrayList<>(held);
        held.clear();
      }
      copy.forEach(f -> f.complete(ok()));
    }
  }

  static DeliveryResult ok() {
    return DeliveryResult.status(200, Duration.ofMillis(2), "ok", null);
  }

  static DeliveryResult status(int code) {
    return DeliveryResult.status(code, Duration.ofMillis(2), "nope", null);
  }

  final Script script = new Script();
  SimHarness h;

  SimHarness harness(WebhookConfig config) {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.webhookDeliverer(script).webhooks(config)
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off())));
    script.h = h;
    return h;
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  WebhookSubscription subscribe(SubscriptionRequest.Builder b) {
    return h.gateway.webhooks().create(b.build());
  }

  @Test
  void everyMatchingEventIsDeliveredWithTheDocumentedEnvelope() throws Exception {
    harness(WebhookConfig.defaults());
    subscribe(SubscriptionRequest.builder("https://hooks.example.com/wa"));
    WebhookSubscription onlyStatus = subscribe(SubscriptionRequest.builder("https://other.example.com/x")
        .eventTypes(Set.of("message.status")).session("a"));
    h.pair("a", "+49 170 1111111");
    h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("hi").build());
    h.time.advance(Duration.ofSeconds(5));

    List<String> allEventIds = h.events.stream().map(GatewayEvent::id).toList();
    List<WebhookRequest> toFirst = script.seen.stream().filter(r -> r.url().getHost().equals("hooks.example.com")).toList();
    assertThat(toFirst).extracting(WebhookRequest::webhookId).containsExactlyInAnyOrderElementsOf(allEventIds);
    List<WebhookRequest> toSecond = script.seen.stream().filter(r -> r.url().getHost().equals("other.example.com")).toList();
    assertThat(toSecond).hasSize(5); // QUEUED, SENDING, SENT, DELIVERED, READ
    JsonNode body = JSON.readTree(toSecond.get(0).body());
    assertThat(body.fieldNames()).toIterable().containsExactly("id", "type", "timestamp", "session", "data", "version");
    assertThat(body.get("type").asText()).isEqualTo("message.status");
    assertThat(body.get("session").asText()).isEqualTo("a");
    assertThat(body.get("version").asInt()).isEqualTo(1);
    assertThat(body.get("data").get("to").asText()).isEqualTo("447700900222@s.whatsapp.net");
    assertThat(body.get("data").get("status").asText()).isEqualTo("QUEUED");
    assertThat(h.gateway.webhooks().deliveries(DeliveryFilter.of(onlyStatus.id())))
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED));
    assertThat(h.gateway.webhookStats().attemptsByEventType().get("message.status"))
        .containsEntry(DeliveryOutcome.SUCCESS, 10L);
  }

  @Test
  void failuresFollowTheScheduleWithAStableIdUntilTheyGetThrough() {
    harness(WebhookConfig.defaults());
    WebhookSubscription s = subscribe(SubscriptionRequest.builder("https://hooks.example.com/wa")
        .eventTypes(Set.of("session.created")));
    AtomicInteger n = new AtomicInteger();
    script.answer = r -> n.incrementAndGet() <= 3 ? status(503) : ok();
    Instant t0 = h.time.now();
    h.gateway.sessions().create("x", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.time.advance(Duration.ofHours(1));
    assertThat(script.seen).hasSize(4);
    assertThat(script.seen).extracting(WebhookRequest::webhookId).containsOnly(script.seen.get(0).webhookId());
    // immediately, +5 s, +5 min, +30 min
    assertThat(script.at).extracting(t -> Duration.between(t0, t)).containsExactly(Duration.ZERO,
        Duration.ofSeconds(5), Duration.ofSeconds(5).plusMinutes(5), Duration.ofSeconds(5).plusMinutes(35));
    WebhookDelivery d = h.gateway.webhooks().deliveries(DeliveryFilter.of(s.id())).get(0);
    assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED);
    assertThat(d.log()).extracting(DeliveryAttempt::statusCode).containsExactly(503, 503, 503, 200);
    // each attempt has a fresh timestamp for its signature
    assertThat(script.seen).extracting(WebhookRequest::timestamp).doesNotHaveDuplicates();
  }

  @Test
  void otherClientErrorsAreNotRetriedButRateLimitsWaitForRetryAfter() {
    harness(WebhookConfig.defaults());
    WebhookSubscription s = subscribe(SubscriptionRequest.builder("https://hooks.example.com/wa")
        .eventTypes(Set.of("session.created")));
    script.answer = r -> status(404);
    h.gateway.sessions().create("x", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.time.advance(Duration.ofHours(1));
    assertThat(script.seen).hasSize(1);
    assertThat(h.gateway.webhooks().deliveries(DeliveryFilter.of(s.id())).get(0).status())
        .isEqualTo(WebhookDelivery.Status.DEAD);

    script.seen.clear();
    script.at.clear();
    AtomicInteger n = new AtomicInteger();
    script.answer = r -> n.incrementAndGet() == 1
        ? DeliveryResult.status(429, Duration.ofMillis(1), "", Duration.ofSeconds(90)) : ok();
    Instant t0 = h.time.now();
    h.gateway.sessions().create("y", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.time.advance(Duration.ofMinutes(10));
    assertThat(script.at).extracting(t -> Duration.between(t0, t))
        .containsExactly(Duration.ZERO, Duration.ofSeconds(90));
  }

  @Test
  void anEndpointThatKeepsFailingIsDisabledAndCatchesUpWhenEnabled() {
    harness(WebhookConfig.defaults().withDisableAfter(Duration.ofDays(5), 3));
    WebhookSubscription bad = subscribe(SubscriptionRequest.builder("https://down.example.com/wa")
        .eventTypes(Set.of("session.created")));
    WebhookSubscription watcher = subscribe(SubscriptionRequest.builder("https://ops.example.com/wa")
        .eventTypes(Set.of("webhook.endpoint_disabled")));
    script.answer = r -> r.url().getHost().startsWith("down") ? status(500) : ok();
    for (int i = 0; i < 5; i++) {
      h.gateway.sessions().create("s" + i, dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    }
    h.time.advance(Duration.ofMinutes(1));
    WebhookSubscription now = h.gateway.webhooks().get(bad.id()).orElseThrow();
    assertThat(now.enabled()).isFalse();
    assertThat(now.disabledReason()).isEqualTo("3 failed attempts in a row");
    assertThat(h.events(GatewayEvent.WebhookEndpointDisabled.class)).hasSize(1);
    assertThat(script.seen.stream().filter(r -> r.url().getHost().startsWith("ops"))).hasSize(1);
    assertThat(h.gateway.webhookStats().disabledEndpoints()).isEqualTo(1);
    int attemptsWhileDisabled = (int) script.seen.stream().filter(r -> r.url().getHost().startsWith("down")).count();
    h.time.advance(Duration.ofHours(3));
    assertThat(script.seen.stream().filter(r -> r.url().getHost().startsWith("down")))
        .as("nothing is attempted while disabled").hasSize(attemptsWhileDisabled);

    script.answer = r -> ok();
    h.gateway.webhooks().enable(bad.id());
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.gateway.webhooks().deliveries(DeliveryFilter.of(bad.id())))
        .hasSize(5).allSatisfy(d -> assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED));
    assertThat(watcher.enabled()).isTrue();
  }

  @Test
  void redeliveryResendsTheSameEvent() {
    harness(WebhookConfig.defaults().withSchedule(List.of(Duration.ZERO)));
    WebhookSubscription s = subscribe(SubscriptionRequest.builder("https://hooks.example.com/wa")
        .eventTypes(Set.of("session.created")));
    script.answer = r -> status(500);
    h.gateway.sessions().create("x", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.gateway.sessions().create("y", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.time.advance(Duration.ofSeconds(1));
    assertThat(h.gateway.webhooks().deliveries(DeliveryFilter.of(s.id()).status(WebhookDelivery.Status.DEAD))).hasSize(2);
    script.answer = r -> ok();
    assertThat(h.gateway.webhooks().redeliverFailed(s.id(), Instant.EPOCH)).isEqualTo(2);
    h.time.advance(Duration.ofSeconds(1));
    List<WebhookDelivery> ds = h.gateway.webhooks().deliveries(DeliveryFilter.of(s.id()));
    assertThat(ds).allSatisfy(d -> assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DELIVERED));
    assertThat(h.gateway.webhooks().redeliver(ds.get(0).id())).isTrue();
    h.time.advance(Duration.ofSeconds(1));
    assertThat(script.seen).hasSize(5);
    assertThat(script.seen.get(4).webhookId()).isEqualTo(ds.get(0).eventId());
  }

  @Test
  void concurrencyPerEndpointAndOrderPerSessionHold() {
    harness(WebhookConfig.defaults());
    subscribe(SubscriptionRequest.builder("https://hooks.example.com/wa").maxConcurrency(3)
        .eventTypes(Set.of("session.created")));
    script.hold = true;
    for (int i = 0; i < 20; i++) {
      h.gateway.sessions().create("s" + i, dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    }
    h.time.runPending();
    assertThat(script.held).hasSize(3);
    while (!script.held.isEmpty()) {
      script.releaseAll();
      h.time.runPending();
    }
    assertThat(script.seen).hasSize(20);
    assertThat(script.maxOpen.get()).isEqualTo(3);

    // ordered: one session's events go one at a time, in order, even with concurrency 10
    script.seen.clear();
    script.maxOpen.set(0);
    WebhookSubscription ordered = subscribe(SubscriptionRequest.builder("https://ordered.example.com/wa")
        .ordered(true).maxConcurrency(10).eventTypes(Set.of("message.status")));
    h.pair("a", "+49 170 1111111");
    for (int i = 0; i < 5; i++) {
      h.gateway.send(MessageRequest.builder().session("a").to("+4477009002" + (10 + i)).text("x").build());
    }
    for (int round = 0; round < 200; round++) { // 10 s of virtual time, answering as we go
      h.time.advance(Duration.ofMillis(50));
      assertThat(script.openByHost.getOrDefault("ordered.example.com", new AtomicInteger()).get())
          .as("one at a time per session").isLessThanOrEqualTo(1);
      script.releaseAll();
    }
    List<String> sentIds = script.seen.stream().filter(r -> r.url().getHost().startsWith("ordered"))
        .map(WebhookRequest::webhookId).toList();
    List<String> published = h.events(GatewayEvent.MessageStatusChanged.class, "a").stream()
        .map(GatewayEvent::id).toList();
    assertThat(sentIds).containsExactlyElementsOf(published);
    assertThat(h.gateway.webhooks().deliveries(DeliveryFilter.of(ordered.id()).limit(1000)))
        .hasSize(published.size());
  }

  @Test
  void withoutADelivererAttemptsFailVisiblyInsteadOfVanishing() {
    h = new SimHarness(SimulatedConfig.defaults(), b -> b.webhooks(WebhookConfig.defaults()
        .withSchedule(List.of(Duration.ZERO, Duration.ofSeconds(1)))));
    WebhookSubscription s = h.gateway.webhooks().create(SubscriptionRequest.builder("https://x.example.com")
        .eventTypes(Set.of("session.created")).build());
    h.gateway.sessions().create("x", dev.wagateway.session.SessionOptions.defaults().withAutoStart(false));
    h.time.advance(Duration.ofSeconds(5));
    WebhookDelivery d = h.gateway.webhooks().deliveries(DeliveryFilter.of(s.id())).get(0);
    assertThat(d.status()).isEqualTo(WebhookDelivery.Status.DEAD);
    assertThat(d.log().get(0).error()).contains("add wa-webhooks");
  }

  @Test
  void subscriptionInputIsValidatedAndSecretsStayHidden() {
    harness(WebhookConfig.defaults());
    assertThatThrownBy(() -> SubscriptionRequest.builder("ftp://x.example.com").build())
        .isInstanceOf(ValidationException.class).hasMessageStartingWith("url:");
    assertThatThrownBy(() -> SubscriptionRequest.builder("https://user:pw@x.example.com").build())
        .hasMessageStartingWith("url:").hasMessageContaining("header");
    assertThatThrownBy(() -> SubscriptionRequest.builder("https://x.example.com").eventTypes(Set.of("bogus")).build())
        .hasMessageStartingWith("eventTypes:");
    assertThatThrownBy(() -> SubscriptionRequest.builder("https://x.example.com").header("webhook-signature", "x").build())
        .hasMessageStartingWith("headers:");
    assertThatThrownBy(() -> SubscriptionRequest.builder("https://x.example.com").header("X-A", "a\r\nb").build())
        .hasMessageStartingWith("headers:");
    assertThatThrownBy(() -> SubscriptionRequest.builder("https://x.example.com").maxConcurrency(0).build())
        .hasMessageStartingWith("maxConcurrency:");
    assertThatThrownBy(() -> WebhookSecret.parse("secret", "whsec_tooShort"))
        .hasMessageStartingWith("secret:").hasMessageNotContaining("tooShort");
    WebhookSubscription s = subscribe(SubscriptionRequest.builder("https://x.example.com/p?token=abc")
        .header("Authorization", "Bearer sk-live-123"));
    String secret = s.secrets().get(0).encoded();
    assertThat(secret).startsWith("whsec_");
    assertThat(s.toString()).doesNotContain(secret).doesNotContain("sk-live-123").doesNotContain("token=abc");
    assertThat(s.secrets().get(0).toString()).doesNotContain(secret.substring(6));
  }
}
