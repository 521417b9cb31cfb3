package dev.wagateway.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Defaults that make the {@code wa} health contributor behave as docs/health.md says, added with the
 * lowest precedence (an application's own settings win): DEGRADED ranks between OUT_OF_SERVICE and
 * UP and answers 200, the liveness group includes the scheduler heartbeat, the readiness group the
 * gateway and its stores.
 */
public final class WaHealthDefaults implements EnvironmentPostProcessor {
  static final Map<String, Object> DEFAULTS = defaults();

  private static Map<String, Object> defaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
    m.put("management.endpoint.health.status.http-mapping.DEGRADED", "200");
    m.put("management.endpoint.health.group.liveness.include", "livenessState,wa/scheduler");
    m.put("management.endpoint.health.group.readiness.include", "readinessState,wa/gateway,wa/stores");
    return m;
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    DefaultPropertiesPropertySource.addOrMerge(DEFAULTS, environment.getPropertySources());
  }
}
