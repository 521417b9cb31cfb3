package dev.wagateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wagateway.WaGateway;
import dev.wagateway.cloudapi.CloudApiEngine;
import dev.wagateway.engine.Engine;
import dev.wagateway.session.SessionState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/** wa.engine=cloudapi: the engine from wa.cloudapi.*, the session connects, Meta's webhook route answers. */
class WaCloudApiAutoConfigurationTest {
  static final String TOKEN = "EAAG-starter-test-token-1";
  HttpServer graph;
  ApplicationContextRunner runner;

  @BeforeEach
  void graph() throws Exception {
    graph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    graph.createContext("/", x -> {
      x.getRequestBody().readAllBytes();
      byte[] b = "{\"display_phone_number\":\"15550100001\",\"quality_rating\":\"GREEN\"}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    graph.start();
    runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WaGatewayAutoConfiguration.class,
        WaJdbcAutoConfiguration.class, WaCloudApiAutoConfiguration.class, WaHealthAutoConfiguration.class));
  }

  @AfterEach
  void stop() {
    graph.stop(0);
  }

  String[] props() {
    return new String[] {"wa.engine=cloudapi", "wa.sessions=sales", "wa.cloudapi.app-secret=starter-secret-1",
        "wa.cloudapi.verify-token=starter-verify-1",
        "wa.cloudapi.base-url=http://127.0.0.1:" + graph.getAddress().getPort(),
        "wa.cloudapi.accounts.sales.phone-number-id=1001", "wa.cloudapi.accounts.sales.access-token=" + TOKEN};
  }

  @Test
  void theEngineComesFromPropertiesAndItsSessionConnects() {
    runner.withPropertyValues(props()).run(ctx -> {
      assertThat(ctx).hasNotFailed().hasSingleBean(CloudApiEngine.class);
      assertThat(ctx.getBean(Engine.class)).isSameAs(ctx.getBean(CloudApiEngine.class));
      WaGateway gw = ctx.getBean(WaGateway.class);
      gw.start();
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> gw.sessions().require("sales").state() == SessionState.CONNECTED);
      assertThat(ctx.getBean(WaProperties.class).getCloudapi().toString()).doesNotContain(TOKEN);
      var health = ctx.getBean(dev.wagateway.health.HealthService.class);
      assertThat(health.report().checks()).containsKey("cloudapi");
      // the report is cached for a second; the account was checked when the session connected
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
          health.report().checks().get("cloudapi").status() == dev.wagateway.health.HealthStatus.UP);
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void metasWebhookIsRoutedAtTheConfiguredPath() {
    runner.withPropertyValues(props()).run(ctx -> {
      RouterFunction<ServerResponse> route = ctx.getBean("waCloudApiWebhook", RouterFunction.class);
      MockHttpServletRequest req = new MockHttpServletRequest("GET", "/webhooks/cloudapi");
      req.setQueryString("hub.mode=subscribe&hub.verify_token=starter-verify-1&hub.challenge=99");
      ServerRequest sr = ServerRequest.create(req, List.of(new StringHttpMessageConverter()));
      ServerResponse resp = route.route(sr).orElseThrow().handle(sr);
      MockHttpServletResponse out = new MockHttpServletResponse();
      resp.writeTo(req, out, () -> List.of(new StringHttpMessageConverter()));
      assertThat(out.getStatus()).isEqualTo(200);
      assertThat(out.getContentAsString()).isEqualTo("99");

      MockHttpServletRequest post = new MockHttpServletRequest("POST", "/webhooks/cloudapi");
      post.setContent("{}".getBytes(StandardCharsets.UTF_8));
      ServerRequest sp = ServerRequest.create(post, List.of(new StringHttpMessageConverter()));
      ServerResponse unsigned = route.route(sp).orElseThrow().handle(sp);
      assertThat(unsigned.statusCode().value()).isEqualTo(401);
    });
  }

  @Test
  void missingSettingsAreNamed() {
    runner.withPropertyValues("wa.engine=cloudapi", "wa.cloudapi.verify-token=starter-verify-1").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("wa.cloudapi.app-secret"));
    runner.withPropertyValues("wa.engine=cloudapi", "wa.cloudapi.app-secret=starter-secret-1",
        "wa.cloudapi.verify-token=starter-verify-1", "wa.cloudapi.accounts.sales.phone-number-id=1001").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("wa.cloudapi.accounts.sales.access-token"));
  }

  @Test
  void withoutWaCloudapiOnTheClassPathTheEngineIsRefusedByName() {
    runner.withClassLoader(new FilteredClassLoader(CloudApiEngine.class)).withPropertyValues(props()).run(ctx ->
        assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining("wa.engine")
            .hasStackTraceContaining("cloudapi"));
  }
}
