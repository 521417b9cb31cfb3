package dev.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.ValidationException;
import org.junit.jupiter.api.Test;

class SignatureModeTest {
  @Test
  void theWrittenFormsAreReadAndAnythingElseNamesTheField() {
    assertThat(SignatureMode.parse("f", "standard")).isEqualTo(SignatureMode.STANDARD);
    assertThat(SignatureMode.parse("f", " Standard ")).isEqualTo(SignatureMode.STANDARD);
    assertThat(SignatureMode.parse("f", "hub")).isEqualTo(SignatureMode.HUB_SHA256);
    assertThat(SignatureMode.parse("f", "HUB_SHA256")).isEqualTo(SignatureMode.HUB_SHA256);
    assertThat(SignatureMode.parse("f", "X-Hub-Signature-256")).isEqualTo(SignatureMode.HUB_SHA256);
    assertThatThrownBy(() -> SignatureMode.parse("wa.webhooks.subscriptions[0].signature-mode", "md5"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("one of standard, hub")
        .extracting(e -> ((ValidationException) e).field()).isEqualTo("wa.webhooks.subscriptions[0].signature-mode");
    assertThatThrownBy(() -> SignatureMode.parse("f", null)).isInstanceOf(ValidationException.class);
  }
}
