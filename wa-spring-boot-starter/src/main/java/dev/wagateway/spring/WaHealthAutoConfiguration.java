package dev.wagateway.spring;

import dev.wagateway.WaGateway;
import dev.wagateway.health.GatewayChecks;
import dev.wagateway.health.HealthReport;
import dev.wagateway.health.HealthService;
import dev.wagateway.health.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * With Boot's health support and wa-health on the class path: a {@code wa} health contributor with
 * one indicator per gateway check (gateway, scheduler, stores, sessions, silentSessions, queue,
 * webhooks, memory). A DEGRADED check reports {@link #DEGRADED}, which {@link WaHealthDefaults}
 * orders between OUT_OF_SERVICE and UP and which answers 200, so a disconnected session does not
 * fail a probe. The checks run through one {@link HealthService}: each with a timeout, a hung one not
 * started again, and the results reused for a second so that one request runs each check once.
 */
@AutoConfiguration(after = WaGatewayAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, HealthService.class})
@ConditionalOnBean(WaGateway.class)
@ConditionalOnEnabledHealthIndicator("wa")
public final class WaHealthAutoConfiguration {
  /** The status of a DEGRADED check. */
  public static final Status DEGRADED = new Status("DEGRADED", "working, with a part impaired");

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  HealthService waHealthService(WaGateway gateway,
      org.springframework.beans.factory.ObjectProvider<dev.wagateway.health.HealthCheck> extra) {
    java.util.List<dev.wagateway.health.HealthCheck> checks = new java.util.ArrayList<>(
        GatewayChecks.all(gateway, Clock.systemUTC()));
    extra.orderedStream().forEach(checks::add); // e.g. the Cloud API accounts' check
    return HealthService.builder().checks(checks)
        .cacheFor(Duration.ofSeconds(1)).startedAt(gateway::startedAt).build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "waHealthContributor")
  CompositeHealthContributor waHealthContributor(HealthService health) {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    for (String name : health.report().checks().keySet()) {
      indicators.put(name, () -> toBoot(health.report().checks().get(name)));
    }
    return CompositeHealthContributor.fromMap(indicators);
  }

  static Health toBoot(HealthReport.CheckOutcome o) {
    Status s = o.status() == HealthStatus.UP ? Status.UP : o.status() == HealthStatus.DOWN ? Status.DOWN : DEGRADED;
    return Health.status(s).withDetails(o.details()).withDetail("durationMs", o.durationMs()).build();
  }
}
