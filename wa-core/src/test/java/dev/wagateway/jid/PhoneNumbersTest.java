package dev.wagateway.jid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.InvalidRecipientException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "+49 170 1234567      | 491701234567",
      "+49-170-123-4567     | 491701234567",
      "0049 170 1234567     | 491701234567",
      "491701234567         | 491701234567",
      "+1 (415) 555-0100    | 14155550100",
      "+44 7700.900.123     | 447700900123",
      "  +5511987654321     | 5511987654321",
  })
  void normalisesInternationalForms(String input, String expected) {
    assertThat(PhoneNumbers.normalize("to", input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "+", "0170 1234567", "+0170 1234567", "12345", "+1234567890123456",
      "+49 170 12a4567", "+49+170", "49/170/1234567", "++491701234567"})
  void rejectsInvalidNumbersNamingTheField(String input) {
    assertThatThrownBy(() -> PhoneNumbers.normalize("to", input))
        .isInstanceOf(InvalidRecipientException.class)
        .hasMessageStartingWith("to: ")
        .satisfies(e -> assertThat(((InvalidRecipientException) e).field()).isEqualTo("to"));
  }

  @ParameterizedTest
  @CsvSource({"0170 1234567, national numbers are not accepted",
      "+49 170 12a4567, found 'a'",
      "12345, 7 to 15 digits"})
  void errorsSayWhatIsWrong(String input, String fragment) {
    assertThatThrownBy(() -> PhoneNumbers.normalize("recipient", input))
        .hasMessageContaining(fragment);
  }

  @ParameterizedTest
  @CsvSource({"491701234567, +49******4567", "14155550100, +14*****0100", "1234567, +12*4567"})
  void masksKeepingOnlyTheEnds(String digits, String masked) {
    assertThat(PhoneNumbers.mask(digits)).isEqualTo(masked);
  }
}
