package dev.wagateway.jid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.InvalidRecipientException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class JidProperties {

  /** E.164 digit strings: no leading zero, 7 to 15 digits. */
  @Provide
  Arbitrary<String> e164() {
    Arbitrary<String> first = Arbitraries.chars().range('1', '9').map(String::valueOf);
    Arbitrary<String> rest = Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(14);
    return Combinators.combine(first, rest).as(String::concat);
  }

  /** Ways people write one number: separators between digits, + or 00 in front. */
  @Provide
  Arbitrary<String[]> writtenForms() {
    Arbitrary<String> sep = Arbitraries.of("", " ", "-", ".", " - ");
    return e164().flatMap(digits -> Combinators.combine(
        Arbitraries.of("+", "00", ""), sep.list().ofSize(digits.length())).as((prefix, seps) -> {
          StringBuilder s = new StringBuilder(prefix);
          for (int i = 0; i < digits.length(); i++) {
            s.append(digits.charAt(i));
            if (i < digits.length() - 1) {
              s.append(seps.get(i));
            }
          }
          return new String[] {digits, s.toString()};
        }));
  }

  @Property
  void anyWrittenFormNormalisesToItsDigits(@ForAll("writtenForms") String[] pair) {
    assertThat(PhoneNumbers.normalize("to", pair[1])).isEqualTo(pair[0]);
  }

  @Property
  void parseOfAsStringIsIdentity(@ForAll("e164") String digits,
      @ForAll("devices") int device) {
    Jid j = Jid.ofPhone("+" + digits).withDevice(device);
    assertThat(Jid.parse(j.asString())).isEqualTo(j);
  }

  @Provide
  Arbitrary<Integer> devices() {
    return Arbitraries.integers().between(0, 99);
  }

  @Property
  void maskedFormNeverShowsTheMiddleDigits(@ForAll("e164") String digits) {
    String masked = Jid.ofPhone("+" + digits).toString();
    assertThat(masked).doesNotContain(digits);
    assertThat(masked.replaceAll("[^0-9]", "")).hasSizeLessThanOrEqualTo(6);
  }

  /** Any string at all: a valid JID, or an InvalidRecipientException naming the field; never else. */
  @Property(tries = 2000)
  void arbitraryInputEitherParsesOrFailsCleanly(@ForAll String input) {
    try {
      Jid j = Jid.parse("to", input);
      assertThat(Jid.parse(j.asString())).isEqualTo(j);
    } catch (InvalidRecipientException e) {
      assertThat(e.field()).isEqualTo("to");
    }
  }
}
