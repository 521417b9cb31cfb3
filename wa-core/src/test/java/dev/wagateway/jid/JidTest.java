package dev.wagateway.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.InvalidRecipientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JidTest {

  @Test
  void phoneBecomesUserJid() {
    Jid j = Jid.parse("+49 170 1234567");
    assertThat(j.asString()).isEqualTo("491701234567@s.whatsapp.net");
    assertThat(j.isUser()).isTrue();
    assertThat(j.phoneNumber()).isEqualTo("+491701234567");
  }

  @Test
  void parsesEveryServerAndDevices() {
    assertThat(Jid.parse("491701234567:12@s.whatsapp.net").device()).isEqualTo(12);
    assertThat(Jid.parse("491701234567@c.us").server()).isEqualTo(JidServer.USER);
    assertThat(Jid.parse("120363025246125486@g.us").isGroup()).isTrue();
    assertThat(Jid.parse("491701234567-1600000000@g.us").isGroup()).isTrue();
    assertThat(Jid.parse("123456789012345@lid").server()).isEqualTo(JidServer.LID);
    assertThat(Jid.parse("123456789012345:3@lid").device()).isEqualTo(3);
    assertThat(Jid.parse("status@broadcast").server()).isEqualTo(JidServer.BROADCAST);
  }

  @Test
  void toStringMasksPhoneNumbersButAsStringDoesNot() {
    Jid j = Jid.ofPhone("+491701234567").withDevice(2);
    assertThat(j.toString()).isEqualTo("49******4567:2@s.whatsapp.net").doesNotContain("1701234567");
    assertThat(j.asString()).isEqualTo("491701234567:2@s.whatsapp.net");
    assertThat(Jid.parse("120363025246125486@g.us").toString()).isEqualTo("120363025246125486@g.us");
  }

  @Test
  void equalityCoversAllParts() {
    Jid a = Jid.parse("491701234567@s.whatsapp.net");
    assertThat(a).isEqualTo(Jid.parse("+49 170 1234567")).hasSameHashCodeAs(Jid.parse("+491701234567"));
    assertThat(a).isNotEqualTo(a.withDevice(1));
    assertThat(a.withDevice(1).toAccount()).isEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@b@s.whatsapp.net", "491701234567@example.com", "abc@s.whatsapp.net",
      "491701234567:x@s.whatsapp.net", "491701234567:123@s.whatsapp.net", "group!@g.us",
      "120363025246125486:1@g.us", "@s.whatsapp.net", "12a@lid", "me@broadcast", "0170123456@s.whatsapp.net"})
  void rejectsMalformedJidsNamingTheField(String input) {
    assertThatThrownBy(() -> Jid.parse("to", input))
        .isInstanceOf(InvalidRecipientException.class)
        .hasMessageStartingWith("to: ");
  }

  @Test
  void businessScopedUserIdsParseWithOrWithoutTheirServerAndAreMaskedInLogs() {
    Jid a = Jid.parse("US.13491208655302741918");
    assertThat(a.isBsuid()).isTrue();
    assertThat(a.asString()).isEqualTo("US.13491208655302741918@bsuid");
    assertThat(Jid.parse("US.13491208655302741918@bsuid")).isEqualTo(a);
    assertThat(Jid.parse("US.ENT.11815799212886844830").user()).isEqualTo("US.ENT.11815799212886844830");
    assertThat(a.toString()).doesNotContain("1349120865530").startsWith("US.").endsWith("1918@bsuid");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jid.parse("to", "us.123"))
        .isInstanceOf(dev.wagateway.InvalidRecipientException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jid.parse("to", "US.12:3@bsuid"))
        .hasMessageContaining("no device part");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jid.parse("to", "US." + "1".repeat(129)))
        .hasMessageContaining("business-scoped");
    assertThat(Jid.parse("+49 170 1234567").isUser()).as("phone numbers are unchanged").isTrue();
  }
}
