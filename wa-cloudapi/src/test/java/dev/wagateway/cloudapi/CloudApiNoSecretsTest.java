package dev.wagateway.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.wagateway.cloudapi.FakeGraph.Answer;
import dev.wagateway.event.GatewayEvent;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.session.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Cloud API scenario at DEBUG level (connect, sends, a refused token, bad webhook posts, a
 * verification with a wrong token) writes neither the access token, the app secret nor the verify
 * token to the log, and no event or stored credential carries them.
 */
class CloudApiNoSecretsTest {
  @Test
  void noTokenOrSecretLeaks() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = (Logger) LoggerFactory.getLogger("dev.wagateway");
    Level before = ours.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    ours.setLevel(Level.DEBUG);
    StringBuilder everything = new StringBuilder();
    try (CloudHarness h = new CloudHarness()) {
      h.connect("sales");
      var m = h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("hello").build());
      h.awaitStatus(m.id(), MessageStatus.SENT);
      h.graph.script("1001/messages", Answer.error(401, 190, "Error validating access token"));
      h.gateway.send(MessageRequest.builder().session("sales").to("+491701234567").text("again").build());
      h.until(() -> h.gateway.sessions().require("sales").state() == SessionState.LOGGED_OUT);
      h.post("{\"object\":\"whatsapp_business_account\",\"entry\":[]}");
      h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("POST", null,
          Map.of("X-Hub-Signature-256", "sha256=00"), "{}".getBytes(StandardCharsets.UTF_8)));
      h.engine.webhookHandler().handle(new CloudApiWebhookHandler.Request("GET",
          "hub.mode=subscribe&hub.verify_token=wrong-token-1&hub.challenge=1", Map.of(), new byte[0]));
      for (GatewayEvent e : h.events) {
        everything.append(e).append('\n');
      }
      h.gateway.sessions().list().forEach(s -> everything.append(s).append('\n'));
      everything.append(h.engine.accountStatus()).append(h.engine.health()).append(h.engine.config());
    } finally {
      root.detachAppender(appender);
      ours.setLevel(before);
    }
    for (ILoggingEvent e : appender.list) {
      everything.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        everything.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    assertThat(appender.list).as("the scenario logged").hasSizeGreaterThan(5);
    assertThat(everything.toString()).doesNotContain(FakeGraph.TOKEN).doesNotContain(CloudHarness.SECRET)
        .doesNotContain(CloudHarness.VERIFY);
  }
}
