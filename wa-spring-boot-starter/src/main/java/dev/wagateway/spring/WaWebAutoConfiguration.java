package dev.wagateway.spring;

import dev.wagateway.ValidationException;
import dev.wagateway.web.WebEngine;
import dev.wagateway.web.WebEngineConfig;
import java.util.HexFormat;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@code wa.engine=web}: sessions are linked devices of phones, on the native WhatsApp Web engine
 * (wa-web on the class path). Sessions pair by QR; the codes arrive as {@code session.qr} events.
 */
@AutoConfiguration(before = WaGatewayAutoConfiguration.class)
@ConditionalOnClass(WebEngine.class)
@ConditionalOnProperty(prefix = "wa", name = "engine", havingValue = "web")
public class WaWebAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  WebEngine waWebEngine(WaProperties p) {
    WaProperties.Web w = p.getWeb();
    WebEngineConfig c = WebEngineConfig.defaults().withUrl(w.getUrl())
        .withKeepAlive(w.getKeepAliveInterval(), w.getKeepAliveTimeout());
    if (w.getRootKey() != null) {
      ValidationException.require(w.getRootKey().matches("[0-9a-fA-F]{64}"), "wa.web.root-key",
          "64 hex digits (a test server's certificate root; leave it unset for WhatsApp)");
      c = c.withRootKey(HexFormat.of().parseHex(w.getRootKey()));
    }
    return new WebEngine(c);
  }
}
