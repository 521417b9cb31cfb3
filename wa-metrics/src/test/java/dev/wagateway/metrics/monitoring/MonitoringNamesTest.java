package dev.wagateway.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.wagateway.engine.simulated.SimulatedConfig;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.metrics.HttpServerMetrics;
import dev.wagateway.metrics.WaGatewayMetrics;
import dev.wagateway.queue.PacingPolicy;
import dev.wagateway.queue.QueueConfig;
import dev.wagateway.queue.RetryPolicy;
import dev.wagateway.testing.SimHarness;
import dev.wagateway.time.VirtualTaskScheduler;
import dev.wagateway.webhook.DeliveryResult;
import dev.wagateway.webhook.SubscriptionRequest;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No dangling names: every metric an alert or a dashboard reads appears in a real Prometheus scrape
 * of a gateway that ran a simulated scenario (with the JVM binders a host application adds and the
 * HTTP filter the reference server uses). A test of the checker itself shows that it catches a name
 * nobody emits.
 */
class MonitoringNamesTest {
  /** Made by Prometheus itself, not by the gateway. */
  static final Set<String> PROMETHEUS_BUILT_INS = Set.of("up");

  /** "where: name" for each metric name an expression reads that the scrape does not have. */
  static List<String> dangling(List<Monitoring.Expr> exprs, Set<String> scraped) {
    List<String> out = new ArrayList<>();
    for (Monitoring.Expr e : exprs) {
      for (String name : PromQlNames.of(e.expr())) {
        if (!scraped.contains(name) && !PROMETHEUS_BUILT_INS.contains(name)) {
          out.add(e.where() + ": " + name);
        }
      }
    }
    return out;
  }

  static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  @Test
  void everyNameInTheAlertsAndDashboardsIsInARealScrape(@TempDir Path data) throws Exception {
    Files.writeString(data.resolve("wa.db"), "x".repeat(4096));
    String scrape = scrapeAfterScenario(data);
    Set<String> scraped = sampleNames(scrape);
    List<Monitoring.Expr> exprs = Monitoring.expressions(Monitoring.dir().resolve("prometheus/alerts.yml"),
        Monitoring.dir().resolve("grafana/dashboards"));
    assertThat(exprs).hasSizeGreaterThan(60);
    Set<String> referenced = new TreeSet<>();
    exprs.forEach(e -> referenced.addAll(PromQlNames.of(e.expr())));
    assertThat(referenced).hasSizeGreaterThan(25).contains("up", "whatsapp_queue_waiting_messages",
        "whatsapp_dispatch_lag_seconds_bucket", "whatsapp_webhook_delivery_duration_seconds_bucket",
        "whatsapp_storage_volume_free_bytes", "http_server_requests_seconds_bucket", "jvm_gc_pause_seconds_sum",
        "jvm_memory_max_bytes", "whatsapp_uptime_seconds");
    assertThat(dangling(exprs, scraped)).as("metric names read by alerts or dashboards but not in the scrape")
        .isEmpty();
    // the scenario really produced values, not just names
    assertThat(scrape).contains("whatsapp_messages_sent_total{session=\"a\",type=\"text\"} 5")
        .contains("whatsapp_storage_used_bytes{store=\"sqlite\"} 4096");
  }

  @Test
  void theCheckerCatchesANameThatIsNotEmitted(@TempDir Path dir) throws Exception {
    Path dash = dir.resolve("broken.json");
    Files.writeString(dash, """
        {"panels": [{"title": "ok", "targets": [{"expr": "sum(rate(whatsapp_messages_sent_total{job=\\"$job\\"}[$__rate_interval]))"}]},
                    {"title": "typo", "targets": [{"expr": "sum by (session) (whatsapp_mesages_sent_total)"}]}],
         "templating": {"list": [{"type": "query", "name": "x", "query": {"query": "label_values(whatsapp_no_such_gauge, session)"}}]}}
        """);
    Set<String> scraped = Set.of("whatsapp_messages_sent_total");
    assertThat(dangling(Monitoring.dashboardExpressions(dash), scraped)).containsExactly(
        "broken.json panel 'typo': whatsapp_mesages_sent_total",
        "broken.json variable x: whatsapp_no_such_gauge");
  }

  @Test
  void namesAreTakenFromPromQlWithoutLabelsFunctionsOrKeywords() {
    assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (job, instance, le) "
        + "(rate(whatsapp_queue_processing_duration_seconds_bucket{job=\"wa-gateway\", le=~\"0.5|1\"}[5m]))) > 0.5"))
        .containsExactly("whatsapp_queue_processing_duration_seconds_bucket");
    assertThat(PromQlNames.of("sum(a_total) / (sum(b_total) + sum(a_total)) > 0.1 and on (instance) c offset 1h"))
        .containsExactly("a_total", "b_total", "c");
    assertThat(PromQlNames.of("x unless ignoring (session) y > bool 1e3"))
        .containsExactly("x", "y");
    assertThat(PromQlNames.of("1 - free_bytes{store=\"sqlite\"} / size_bytes offset 5m"))
        .containsExactly("free_bytes", "size_bytes");
    assertThat(PromQlNames.of("label_values(whatsapp_uptime_seconds{job=\"$job\"}, instance)"))
        .containsExactly("whatsapp_uptime_seconds");
    assertThat(PromQlNames.of("max by (job) (m{l=\"by (x)\"}[${__range}])")).containsExactly("m");
  }

  /** A scenario that touches every metric: sends, receipts, failures, reconnects, webhooks, HTTP, GC. */
  static String scrapeAfterScenario(Path data) throws Exception {
    VirtualTaskScheduler time = new VirtualTaskScheduler();
    WaGatewayMetrics metrics = WaGatewayMetrics.builder().clock(time.clock()).build();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (SimHarness h = new SimHarness(time, SimulatedConfig.defaults(), b -> b.metricsTracker(metrics.tracker())
        .queue(QueueConfig.defaults().withPacing(PacingPolicy.off()).withRetry(RetryPolicy.none()))
        .webhookDeliverer(r -> CompletableFuture.completedFuture(r.url().getHost().startsWith("ok")
            ? DeliveryResult.status(204, Duration.ofMillis(3), "", null)
            : DeliveryResult.status(503, Duration.ofMillis(40), "", null))));
        JvmGcMetrics gc = new JvmGcMetrics()) {
      metrics.storage("sqlite", data);
      metrics.attach(h.gateway);
      metrics.bindTo(prometheus);
      new JvmMemoryMetrics().bindTo(prometheus);
      gc.bindTo(prometheus);
      new JvmThreadMetrics().bindTo(prometheus);
      new ProcessorMetrics().bindTo(prometheus);

      h.gateway.webhooks().create(SubscriptionRequest.builder("https://ok.example.com/hook").build());
      h.gateway.webhooks().create(SubscriptionRequest.builder("https://down.example.com/hook")
          .eventTypes(Set.of("message.received")).build());
      h.pair("a", "+49 170 1111111");
      h.pair("b", "+44 7700 900222");
      for (int i = 0; i < 5; i++) {
        h.gateway.send(MessageRequest.builder().session("a").to("+44 7700 900222").text("m" + i).build());
      }
      h.time.advance(Duration.ofSeconds(10));
      h.network.faults("a").failSends(0, 1.0, new Random(3));
      h.gateway.send(MessageRequest.builder().session("a").to("+14155550100").text("fails").build());
      h.time.advance(Duration.ofSeconds(1));
      h.network.faults("b").disconnect();
      h.time.advance(Duration.ofSeconds(30));

      server.createContext("/api", x -> {
        x.getRequestBody().readAllBytes();
        x.sendResponseHeaders(200, -1);
        x.close();
      }).getFilters().add(HttpServerMetrics.filter(prometheus));
      server.start();
      HttpResponse<Void> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/sessions")).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(resp.statusCode()).isEqualTo(200);

      System.gc(); // jvm_gc_pause_seconds appears with the first collection the binder hears of
      await().atMost(Duration.ofSeconds(20)).until(() -> prometheus.scrape().contains("jvm_gc_pause_seconds_sum"));
      await().atMost(Duration.ofSeconds(10)).until(() -> prometheus.scrape().contains("whatsapp_messages_sent_total{session=\"a\",type=\"text\"} 5"));
      return prometheus.scrape();
    } finally {
      server.stop(0);
      metrics.close();
    }
  }
}
