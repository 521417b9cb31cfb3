package dev.wagateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.WaGateway;
import dev.wagateway.engine.Engine;
import dev.wagateway.web.WebEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** wa.engine=web: the gateway runs on the WhatsApp Web engine configured from wa.web.*. */
class WaWebAutoConfigurationTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
      AutoConfigurations.of(WaGatewayAutoConfiguration.class, WaWebAutoConfiguration.class));

  @Test
  void theEngineComesFromTheProperties() {
    runner.withPropertyValues("wa.engine=web", "wa.web.url=ws://127.0.0.1:5222/ws/chat",
        "wa.web.root-key=468c3ccc1cd1a2a512e40b01fbe05eebc3e9021fa3fd0eec76b6cf2bc436fb28",
        "wa.web.keep-alive-interval=10s").run(ctx -> {
          assertThat(ctx).hasSingleBean(WaGateway.class);
          assertThat(ctx.getBean(Engine.class)).isInstanceOf(WebEngine.class);
          WebEngine engine = ctx.getBean(WebEngine.class);
          assertThat(engine.config().url().toString()).isEqualTo("ws://127.0.0.1:5222/ws/chat");
          assertThat(engine.config().keepAliveInterval()).hasSeconds(10);
          assertThat(engine.config().rootKey()[0]).isEqualTo((byte) 0x46);
        });
  }

  @Test
  void thePropertiesDefaultToWhatTheEngineDefaultsTo() {
    // WaProperties spells the URL out (it must load without wa-web); it must agree with wa-web
    assertThat(new WaProperties().getWeb().getUrl()).isEqualTo(dev.wagateway.web.WebEngineConfig.DEFAULT_URL);
  }

  @Test
  void aBadRootKeyNamesTheProperty() {
    runner.withPropertyValues("wa.engine=web", "wa.web.root-key=abc").run(ctx ->
        assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.web.root-key"));
  }

  @Test
  void withoutWaWebOnTheClassPathTheEngineIsUnknown() {
    runner.withClassLoader(new FilteredClassLoader(WebEngine.class)).withPropertyValues("wa.engine=web")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessageContaining("wa.engine"));
  }
}
