package dev.wagateway.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.ValidationException;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MessageContentTest {

  private static void rejects(ThrowingCallable call, String field, String fragment) {
    assertThatThrownBy(call).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field))
        .hasMessageContaining(fragment);
  }

  @Test
  void textIsValidated() {
    assertThat(MessageContent.text("hello").type()).isEqualTo("text");
    rejects(() -> MessageContent.text(""), "content.body", "empty");
    rejects(() -> MessageContent.text(" \n"), "content.body", "empty");
    rejects(() -> MessageContent.text("x".repeat(4097)), "content.body", "4097 characters");
    assertThat(MessageContent.text("x".repeat(4096)).body()).hasSize(4096);
  }

  @Test
  void textToStringDoesNotLeakTheBody() {
    assertThat(MessageContent.text("my secret pin is 1234").toString()).doesNotContain("secret");
  }

  @Test
  void mediaLimitsAndTypesAreCheckedUpFront() {
    byte[] sixMb = new byte[6 * 1024 * 1024];
    rejects(() -> new MessageContent.Image(MediaSource.bytes(sixMb, "image/jpeg"), null),
        "content.media", "at most 5242880 bytes");
    rejects(() -> new MessageContent.Image(MediaSource.bytes(new byte[10], "image/gif"), null),
        "content.media", "not a format WhatsApp accepts");
    rejects(() -> new MessageContent.Image(MediaSource.url("https://x.example/a.gif", "image/gif"), null),
        "content.media", "must be one of");
    rejects(() -> new MessageContent.Sticker(MediaSource.bytes(webp(200 * 1024), "image/webp"), false),
        "content.media", "at most 102400 bytes");
    assertThat(new MessageContent.Sticker(MediaSource.bytes(webp(200 * 1024), "image/webp"), true)
        .type()).isEqualTo("sticker");
    rejects(() -> new MessageContent.Image(MediaSource.bytes(png(), "image/png"), "c".repeat(1025)),
        "content.caption", "1024");
    rejects(() -> MediaSource.bytes(new byte[0], "image/png"), "media.data", "empty");
    rejects(() -> MediaSource.bytes(new byte[1], "png"), "media.mimeType", "mime type");
    rejects(() -> MediaSource.url("ftp://example.com/a.png", "image/png"), "media.url", "http");
    rejects(() -> MediaSource.url("not a url", "image/png"), "media.url", "valid URL");
  }

  static byte[] webp(int size) {
    byte[] b = new byte[size];
    System.arraycopy("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 4);
    System.arraycopy("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 8, 4);
    return b;
  }

  static byte[] png() {
    return new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
  }

  @Test
  void theContentDecidesTheTypeNotTheNameOrTheClaim() {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};
    MessageContent.Image asPng = new MessageContent.Image(MediaSource.bytes(jpeg, "image/png"), null);
    assertThat(asPng.media().mimeType()).as("declared png, is a jpeg").isEqualTo("image/jpeg");
    byte[] pdf = "%PDF-1.7\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    rejects(() -> new MessageContent.Image(MediaSource.bytes(pdf, "image/jpeg"), null), "content.media",
        "the content is application/pdf");
    MessageContent.Document doc = new MessageContent.Document(MediaSource.bytes(pdf, "application/octet-stream"),
        "a.bin", null);
    assertThat(doc.media().mimeType()).isEqualTo("application/pdf");
    MessageContent.Document unknown = new MessageContent.Document(MediaSource.bytes(new byte[] {1, 2, 3}, "text/csv"),
        "a.csv", null);
    assertThat(unknown.media().mimeType()).as("an unknown format keeps the declared type").isEqualTo("text/csv");
    byte[] ogg = "OggS\0\2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(new MessageContent.Audio(MediaSource.bytes(ogg, "audio/mpeg"), true).media().mimeType())
        .isEqualTo("audio/ogg");
    byte[] mp4 = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    assertThat(new MessageContent.Video(MediaSource.bytes(mp4, "video/mp4"), null).media().mimeType())
        .isEqualTo("video/mp4");
  }

  @Test
  void filesAreReadUpToTheLimitAndTypedByTheirContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path photo = dir.resolve("holiday.png"); // named png, is a jpeg
    java.nio.file.Files.write(photo, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3});
    MessageContent.Image img = new MessageContent.Image(MediaSource.file(photo, "image/png", 100), null);
    assertThat(img.media().mimeType()).isEqualTo("image/jpeg");
    rejects(() -> MediaSource.file(photo, "image/png", 3), "media.file", "more than 3");
    rejects(() -> MediaSource.file(dir.resolve("missing.jpg"), "image/jpeg", 100), "media.file", "not a readable file");
  }

  @Test
  void streamsAreReadUpToTheLimit() {
    MediaSource ok = MediaSource.stream(new ByteArrayInputStream(new byte[100]), "audio/ogg", 100);
    assertThat(((MediaSource.Bytes) ok).size()).isEqualTo(100);
    rejects(() -> MediaSource.stream(new ByteArrayInputStream(new byte[101]), "audio/ogg", 100),
        "media.data", "more than 100 bytes");
  }

  @Test
  void documentsNeedASafeFileName() {
    MediaSource pdf = MediaSource.bytes(new byte[10], "application/pdf");
    assertThat(new MessageContent.Document(pdf, "invoice.pdf", null).type()).isEqualTo("document");
    rejects(() -> new MessageContent.Document(pdf, "../etc/passwd", null), "content.fileName", "path");
    rejects(() -> new MessageContent.Document(pdf, " ", null), "content.fileName", "file name");
  }

  @Test
  void locationContactAndReaction() {
    rejects(() -> new MessageContent.Location(91, 0, null, null), "content.latitude", "-90 and 90");
    rejects(() -> new MessageContent.Location(0, Double.NaN, null, null), "content.longitude", "-180");
    MessageContent.Contact c = new MessageContent.Contact("Ana", List.of("+49 170 1234567"));
    assertThat(c.phoneNumbers()).containsExactly("491701234567");
    rejects(() -> new MessageContent.Contact("Ana", List.of("+49 170 1234567", "12")),
        "content.phoneNumbers[1]", "digits");
    rejects(() -> new MessageContent.Contact("Ana", List.of()), "content.phoneNumbers", "1 to 20");
    assertThat(new MessageContent.Reaction("wamid.1", "").emoji()).isEmpty();
    rejects(() -> new MessageContent.Reaction(" ", "x"), "content.targetMessageId", "reacts to");
  }

  @Test
  void requestsNameTheFieldAtFault() {
    rejects(() -> MessageRequest.builder().to("+491701234567").text("x").build(), "sessionId", "required");
    rejects(() -> MessageRequest.builder().session("bad id!").to("+491701234567").text("x").build(),
        "sessionId", "1 to 64");
    rejects(() -> MessageRequest.builder().session("s").text("x").build(), "to", "required");
    rejects(() -> MessageRequest.builder().session("s").to("0170 123"), "to", "national");
    rejects(() -> MessageRequest.builder().session("s").to("+491701234567").build(), "content", "required");
    rejects(() -> MessageRequest.builder().session("s").to("+491701234567").text("x")
        .idempotencyKey("has space").build(), "idempotencyKey", "printable");
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    rejects(() -> MessageRequest.builder().session("s").to("+491701234567").text("x")
        .notBefore(t).expiresAt(t).build(), "expiresAt", "after notBefore");
  }
}
