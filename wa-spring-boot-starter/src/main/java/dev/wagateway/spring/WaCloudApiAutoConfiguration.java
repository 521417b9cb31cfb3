package dev.wagateway.spring;

import dev.wagateway.ValidationException;
import dev.wagateway.cloudapi.CloudApiConfig;
import dev.wagateway.cloudapi.CloudApiEngine;
import dev.wagateway.cloudapi.CloudApiWebhookHandler;
import dev.wagateway.jdbc.JdbcStores;
import dev.wagateway.store.SeenIds;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code wa.engine=cloudapi}: the gateway runs on the official Cloud API, with the numbers of
 * {@code wa.cloudapi.accounts.<session>.*}. Inbound ids are remembered in the database when
 * {@code wa.store=jdbc}, else in memory. With Spring MVC on the class path, Meta's webhook is served
 * at {@code wa.cloudapi.webhook-path} (outside any API-key filter of yours: the app secret's
 * signature guards it).
 */
@AutoConfiguration(before = WaGatewayAutoConfiguration.class, after = WaJdbcAutoConfiguration.class)
@ConditionalOnClass(CloudApiEngine.class)
@ConditionalOnProperty(prefix = "wa", name = "engine", havingValue = "cloudapi")
public class WaCloudApiAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CloudApiEngine waCloudApiEngine(WaProperties p, ObjectProvider<SeenIds> seenIds,
      dev.wagateway.time.TaskScheduler scheduler) {
    WaProperties.CloudApi c = p.getCloudapi();
    CloudApiConfig.Builder b = CloudApiConfig.builder().baseUrl(c.getBaseUrl()).apiVersion(c.getApiVersion())
        .appSecret(c.getAppSecret()).verifyToken(c.getVerifyToken()).seenIdTtl(c.getSeenIdTtl());
    ValidationException.require(c.getAppSecret() != null, "wa.cloudapi.app-secret",
        "wa.engine=cloudapi needs the Meta app's secret (it signs the webhook posts)");
    ValidationException.require(c.getVerifyToken() != null, "wa.cloudapi.verify-token",
        "wa.engine=cloudapi needs the verify token set in the Meta app's webhook settings");
    ValidationException.require(!c.getAccounts().isEmpty(), "wa.cloudapi.accounts",
        "wa.engine=cloudapi needs at least one wa.cloudapi.accounts.<session>.phone-number-id and access-token");
    c.getAccounts().forEach((session, a) -> {
      ValidationException.require(a.getPhoneNumberId() != null, "wa.cloudapi.accounts." + session + ".phone-number-id",
          "is required");
      ValidationException.require(a.getAccessToken() != null, "wa.cloudapi.accounts." + session + ".access-token",
          "is required");
      b.account(session, a.getPhoneNumberId(), a.getAccessToken());
    });
    CloudApiEngine.Builder eb = CloudApiEngine.builder(b.build()).scheduler(scheduler);
    SeenIds seen = seenIds.getIfAvailable();
    if (seen != null) {
      eb.seenIds(seen);
    }
    return eb.build();
  }

  /** With wa.store=jdbc, Meta's redeliveries are recognised across restarts and instances. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcStores.class)
  @ConditionalOnProperty(prefix = "wa", name = "store", havingValue = "jdbc")
  static class DurableSeenIds {
    @Bean
    @ConditionalOnMissingBean
    SeenIds waSeenIds(JdbcStores stores) {
      return stores.seenIds();
    }
  }

  /** The accounts' token and quality in the gateway's health (and so in Actuator's). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.wagateway.health.HealthCheck")
  static class AccountHealth {
    @Bean
    dev.wagateway.health.HealthCheck waCloudApiHealthCheck(CloudApiEngine engine) {
      return dev.wagateway.health.HealthCheck.of("cloudapi", java.util.Set.of(
          dev.wagateway.health.HealthCheck.Group.READINESS), () -> {
            CloudApiEngine.Health h = engine.health();
            return dev.wagateway.health.HealthResult.of(dev.wagateway.health.HealthStatus.valueOf(h.status()),
                h.details());
          });
    }
  }

  /** Meta's webhook on Spring MVC's functional endpoints. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.web.servlet.function.RouterFunction",
      "jakarta.servlet.http.HttpServletRequest"})
  @ConditionalOnExpression("'${wa.cloudapi.webhook-path:/webhooks/cloudapi}' != ''")
  static class Webhook {
    @Bean
    RouterFunction<ServerResponse> waCloudApiWebhook(CloudApiEngine engine, WaProperties p) {
      String path = p.getCloudapi().getWebhookPath();
      ValidationException.require(path.startsWith("/"), "wa.cloudapi.webhook-path", "a path starting with '/'");
      CloudApiWebhookHandler handler = engine.webhookHandler();
      return RouterFunctions.route().GET(path, r -> handle(handler, r)).POST(path, r -> handle(handler, r)).build();
    }

    static ServerResponse handle(CloudApiWebhookHandler handler, ServerRequest r) throws IOException {
      Map<String, String> headers = new HashMap<>();
      r.headers().asHttpHeaders().forEach((k, v) -> {
        if (!v.isEmpty()) {
          headers.put(k, v.get(0));
        }
      });
      byte[] body = r.servletRequest().getInputStream().readNBytes(handler.maxBodyBytes() + 1);
      CloudApiWebhookHandler.Response out = handler.handle(new CloudApiWebhookHandler.Request(r.method().name(),
          r.uri().getRawQuery(), headers, body));
      return ServerResponse.status(HttpStatus.valueOf(out.status())).contentType(MediaType.parseMediaType(out.contentType()))
          .body(out.body());
    }
  }
}
