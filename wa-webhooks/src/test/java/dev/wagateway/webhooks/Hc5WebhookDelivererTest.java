package dev.wagateway.webhooks;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.webhook.WebhookDeliverer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Hc5WebhookDelivererTest extends WebhookDelivererContract {
  @Override
  WebhookDeliverer open(boolean allowPrivateNetworks, Duration requestTimeout, int responseCap) {
    return Hc5WebhookDeliverer.builder().allowPrivateNetworks(allowPrivateNetworks)
        .requestTimeout(requestTimeout).responseCap(responseCap).build();
  }

  @Test
  void settingsAreValidatedLikeTheJdkDeliverers() {
    assertThatThrownBy(() -> Hc5WebhookDeliverer.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> Hc5WebhookDeliverer.builder().responseCap(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseCap");
    assertThatThrownBy(() -> Hc5WebhookDeliverer.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
  }
}
