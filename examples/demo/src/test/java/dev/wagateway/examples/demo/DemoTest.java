package dev.wagateway.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wagateway.message.MessageStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void demoPairsBothSessionsAndEveryMessageIsRead() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Map<MessageStatus, Integer> summary = Demo.run(5, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(summary).containsExactly(Map.entry(MessageStatus.READ, 10));
    assertThat(out).contains("scan me: 2@").contains("PAIRING -> CONNECTING (paired)")
        .contains("message.received").contains("Hi Bob, #5");
    // printed recipients are masked
    assertThat(out).doesNotContain("447700900222").contains("44******0222");
  }
}
