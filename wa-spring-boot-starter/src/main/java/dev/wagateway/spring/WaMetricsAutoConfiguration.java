package dev.wagateway.spring;

import dev.wagateway.WaGateway;
import dev.wagateway.metrics.WaGatewayMetrics;
import dev.wagateway.metrics.WaObservations;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Micrometer and wa-metrics on the class path: the {@link WaGatewayMetrics} binder (a
 * {@code MeterBinder}, bound to every registry by Boot's metrics support), its tracker for the
 * gateway, and — when the application has an {@link ObservationRegistry} — spans around sends and
 * webhook deliveries ({@link WaObservations}).
 */
@AutoConfiguration(before = WaGatewayAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, WaGatewayMetrics.class})
public final class WaMetricsAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  WaGatewayMetrics waGatewayMetrics(WaProperties properties) {
    return WaGatewayMetrics.builder().maxSessionTags(properties.getMetrics().getMaxSessionTags())
        .percentileHistograms(properties.getMetrics().isPercentileHistograms()).build();
  }

  @Bean
  @ConditionalOnMissingBean
  MetricsTracker waMetricsTracker(WaGatewayMetrics metrics) {
    return metrics.tracker();
  }

  /** The gauges read the gateway's views once the gateway exists. */
  @Bean
  SmartInitializingSingleton waMetricsAttachment(WaGatewayMetrics metrics, ObjectProvider<WaGateway> gateway) {
    return () -> gateway.ifAvailable(metrics::attach);
  }

  /** Spans around send and webhook attempts, for the application's tracer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnBean(ObservationRegistry.class)
  static final class Observations {
    @Bean
    @ConditionalOnMissingBean
    OperationObserver waOperationObserver(ObservationRegistry registry, WaProperties properties) {
      return WaObservations.builder(registry).maxSessionTags(properties.getMetrics().getMaxSessionTags()).build();
    }
  }
}
