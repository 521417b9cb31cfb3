package dev.wagateway.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wagateway.ValidationException;
import dev.wagateway.message.MessageContent.Choice;
import dev.wagateway.message.MessageContent.Section;
import dev.wagateway.message.MessageContent.TemplateComponent;
import dev.wagateway.message.MessageContent.TemplateParameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentJsonTest {
  static final ObjectMapper M = new ObjectMapper();

  @Test
  void everyStructuredTypeRoundTrips() throws Exception {
    List<MessageContent> all = List.of(
        new MessageContent.Template("order_update", "en_US", List.of(
            new TemplateComponent("header", null, null, List.of(new TemplateParameter.Media(MediaKind.DOCUMENT,
                MediaSource.bytes(new byte[] {1, 2}, "application/pdf"), "a.pdf"))),
            new TemplateComponent("body", null, null, List.of(new TemplateParameter.Text("Ann", null),
                new TemplateParameter.Currency("€1", "EUR", 1000), new TemplateParameter.DateTime("today"))),
            new TemplateComponent("button", "url", 1, List.of(new TemplateParameter.Text("track/1", null))),
            new TemplateComponent("button", "copy_code", 2, List.of(new TemplateParameter.CouponCode("X1"))),
            new TemplateComponent("button", "quick_reply", 0, List.of(new TemplateParameter.Payload("P"))))),
        new MessageContent.Buttons("Pick", "H", null, List.of(Choice.of("a", "A"), Choice.of("b", "B"))),
        new MessageContent.ListMessage("Pick", "Open", null, "F", List.of(
            new Section("S1", List.of(new Choice("r1", "Row 1", "d"))), new Section("S2", List.of(Choice.of("r2", "R2"))))),
        new MessageContent.ChoiceReply("yes", "Yes"));
    for (MessageContent c : all) {
      String json = ContentJson.write(c).toString();
      MessageContent back = ContentJson.read(c.type(), M.readTree(json), c.type());
      assertThat(back).as(c.type()).isEqualTo(c);
    }
  }

  @Test
  void mediaReferencesRoundTripAndBytesAreOnlyCountedWithoutThem() throws Exception {
    for (MediaSource m : List.of(MediaSource.url("https://x.example/a.png", "image/png"),
        MediaSource.uploaded("12345", "image/png"), MediaSource.bytes(new byte[] {9}, "image/png"))) {
      assertThat(ContentJson.readMedia(M.readTree(ContentJson.media(m, true).toString()), "media")).isEqualTo(m);
    }
    assertThat(ContentJson.media(MediaSource.bytes(new byte[] {9, 9}, "image/png"), false).toString())
        .isEqualTo("{\"mimeType\":\"image/png\",\"size\":2}");
  }

  @Test
  void readingIsStrictAndNamesTheField() {
    assertThatThrownBy(() -> ContentJson.read("template", M.readTree("{\"name\":\"x\",\"language\":\"en\","
        + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"txt\":\"a\"}]}]}"), "template"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("template.components[0].parameters[0].txt");
    assertThatThrownBy(() -> ContentJson.read("buttons", M.readTree("{\"body\":\"b\",\"buttons\":\"no\"}"), "buttons"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("buttons.buttons");
    assertThatThrownBy(() -> ContentJson.read("template", M.readTree("{\"name\":\"Bad Name\",\"language\":\"en\"}"),
        "template")).isInstanceOf(ValidationException.class).hasMessageContaining("content.template.name");
    assertThatThrownBy(() -> ContentJson.readMedia(M.readTree("{\"mimeType\":\"image/png\",\"url\":\"https://a.b/c\","
        + "\"id\":\"1\"}"), "media")).hasMessageContaining("exactly one");
  }

  @Test
  void interactiveLimitsAreCheckedUpFront() {
    assertThatThrownBy(() -> new MessageContent.Buttons("b", null, null, List.of(Choice.of("1", "a"),
        Choice.of("2", "b"), Choice.of("3", "c"), Choice.of("4", "d")))).hasMessageContaining("1 to 3 buttons");
    assertThatThrownBy(() -> new MessageContent.Buttons("b", null, null, List.of(Choice.of("1", "a"),
        Choice.of("1", "b")))).hasMessageContaining("differ");
    assertThatThrownBy(() -> new MessageContent.Buttons("b", null, null, List.of(Choice.of("1",
        "a title that is far too long")))).hasMessageContaining("content.buttons[0].title");
    List<Choice> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> Choice.of("r" + i, "R" + i)).toList();
    assertThatThrownBy(() -> new MessageContent.ListMessage("b", "Open", null, null, List.of(new Section(null, eleven))))
        .hasMessageContaining("at most 10 rows");
    assertThatThrownBy(() -> new MessageContent.ListMessage("b", "Open", null, null, List.of(
        new Section(null, List.of(Choice.of("a", "A"))), new Section("x", List.of(Choice.of("b", "B"))))))
        .hasMessageContaining("content.sections.title");
    assertThatThrownBy(() -> new TemplateComponent("button", null, 0, List.of())).hasMessageContaining("subType");
    assertThatThrownBy(() -> new TemplateComponent("body", "url", null, List.of())).hasMessageContaining("only button");
    assertThatThrownBy(() -> new TemplateParameter.Media(MediaKind.IMAGE, MediaSource.uploaded("1", "image/gif"), null))
        .hasMessageContaining("image must be one of");
  }
}
