package dev.wagateway.message;

import dev.wagateway.ValidationException;
import dev.wagateway.jid.PhoneNumbers;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a message carries. Every constructor validates, so a content value that exists is sendable;
 * errors name the field ({@code content.body}, {@code content.media}, ...).
 */
public sealed interface MessageContent {
  /** WhatsApp's limit on text bodies. */
  int MAX_TEXT_LENGTH = 4096;
  /** WhatsApp's limit on media captions. */
  int MAX_CAPTION_LENGTH = 1024;

  /** A low-cardinality name for metrics and webhooks: text, image, video, ... */
  String type();

  static Text text(String body) {
    return new Text(body, false);
  }

  record Text(String body, boolean previewUrl) implements MessageContent {
    public Text {
      ValidationException.require(body != null && !body.isBlank(), "content.body", "text is empty");
      ValidationException.require(body.length() <= MAX_TEXT_LENGTH, "content.body",
          "text is " + body.length() + " characters, the limit is " + MAX_TEXT_LENGTH);
    }

    @Override
    public String type() {
      return "text";
    }

    /** Text is never printed whole: it is the user's message. */
    @Override
    public String toString() {
      return "Text[" + body.length() + " chars]";
    }
  }

  record Image(MediaSource media, @Nullable String caption) implements MessageContent {
    public Image {
      media = MediaChecks.check(MediaKind.IMAGE, media);
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "image";
    }
  }

  record Video(MediaSource media, @Nullable String caption) implements MessageContent {
    public Video {
      media = MediaChecks.check(MediaKind.VIDEO, media);
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "video";
    }
  }

  /** Audio; {@code voiceNote} sends it as a push-to-talk voice message (which can be PLAYED). */
  record Audio(MediaSource media, boolean voiceNote) implements MessageContent {
    public Audio {
      media = MediaChecks.check(MediaKind.AUDIO, media);
    }

    @Override
    public String type() {
      return "audio";
    }
  }

  record Document(MediaSource media, String fileName, @Nullable String caption)
      implements MessageContent {
    public Document {
      media = MediaChecks.check(MediaKind.DOCUMENT, media);
      ValidationException.require(fileName != null && !fileName.isBlank() && fileName.length() <= 240,
          "content.fileName", "a document needs a file name of 1 to 240 characters");
      ValidationException.require(fileName.indexOf('/') < 0 && fileName.indexOf('\\') < 0,
          "content.fileName", "a file name has no path separators");
      MediaChecks.caption(caption);
    }

    @Override
    public String type() {
      return "document";
    }
  }

  record Sticker(MediaSource media, boolean animated) implements MessageContent {
    public Sticker {
      media = MediaChecks.check(MediaKind.STICKER, media,
          animated ? MediaKind.ANIMATED_STICKER_MAX_BYTES : MediaKind.STICKER.maxBytes());
    }

    @Override
    public String type() {
      return "sticker";
    }
  }

  record Location(double latitude, double longitude, @Nullable String name, @Nullable String address)
      implements MessageContent {
    public Location {
      ValidationException.require(Double.isFinite(latitude) && latitude >= -90 && latitude <= 90,
          "content.latitude", "latitude must be between -90 and 90");
      ValidationException.require(Double.isFinite(longitude) && longitude >= -180 && longitude <= 180,
          "content.longitude", "longitude must be between -180 and 180");
      ValidationException.require(name == null || name.length() <= 1000, "content.name",
          "a location name is at most 1000 characters");
      ValidationException.require(address == null || address.length() <= 1000, "content.address",
          "a location address is at most 1000 characters");
    }

    @Override
    public String type() {
      return "location";
    }
  }

  /** A contact card: a display name and one or more phone numbers (normalised to E.164 digits). */
  record Contact(String displayName, List<String> phoneNumbers) implements MessageContent {
    public Contact {
      ValidationException.require(displayName != null && !displayName.isBlank()
          && displayName.length() <= 256, "content.displayName",
          "a contact needs a display name of 1 to 256 characters");
      ValidationException.require(phoneNumbers != null && !phoneNumbers.isEmpty()
          && phoneNumbers.size() <= 20, "content.phoneNumbers",
          "a contact needs 1 to 20 phone numbers");
      String[] normalised = new String[phoneNumbers.size()];
      for (int i = 0; i < normalised.length; i++) {
        normalised[i] = PhoneNumbers.normalize("content.phoneNumbers[" + i + "]", phoneNumbers.get(i));
      }
      phoneNumbers = List.of(normalised);
    }

    @Override
    public String type() {
      return "contact";
    }

    @Override
    public String toString() {
      return "Contact[" + phoneNumbers.size() + " numbers]";
    }
  }

  /** A reaction to a message; an empty emoji removes an earlier reaction. */
  record Reaction(String targetMessageId, String emoji) implements MessageContent {
    public Reaction {
      ValidationException.require(targetMessageId != null && !targetMessageId.isBlank()
          && targetMessageId.length() <= 128, "content.targetMessageId",
          "a reaction names the message it reacts to (1 to 128 characters)");
      ValidationException.require(emoji != null && emoji.codePointCount(0, emoji.length()) <= 10,
          "content.emoji", "a reaction is one emoji (or empty to remove it)");
    }

    @Override
    public String type() {
      return "reaction";
    }
  }

  /**
   * An approved message template (Cloud API): the only content a business may send outside the
   * 24-hour customer service window. {@code components} fill the template's variables.
   */
  record Template(String name, String language, List<TemplateComponent> components)
      implements MessageContent {
    public Template {
      ValidationException.require(name != null && name.matches("[a-z0-9_]{1,512}"), "content.template.name",
          "a template name is 1 to 512 lower-case letters, digits or '_'");
      ValidationException.require(language != null && language.matches("[a-z]{2,3}(_[A-Za-z0-9]{2,4})?"),
          "content.template.language", "a language code such as en or en_US");
      ValidationException.require(components != null && components.size() <= 20,
          "content.template.components", "at most 20 components");
      components = List.copyOf(components);
    }

    @Override
    public String type() {
      return "template";
    }
  }

  /**
   * One part of a template to fill: {@code header}, {@code body} or {@code button} (a button also
   * names its {@code subType}, e.g. {@code quick_reply} or {@code url}, and its {@code index}).
   */
  record TemplateComponent(String type, @Nullable String subType, @Nullable Integer index,
      List<TemplateParameter> parameters) {
    public TemplateComponent {
      ValidationException.require(type != null && (type.equals("header") || type.equals("body")
          || type.equals("button")), "content.template.components.type", "one of header, body, button");
      if (type.equals("button")) {
        ValidationException.require(subType != null && subType.matches("[a-z_]{1,32}"),
            "content.template.components.subType", "a button component names its sub type, e.g. quick_reply or url");
        ValidationException.require(index != null && index >= 0 && index <= 9,
            "content.template.components.index", "a button component has an index from 0 to 9");
      } else {
        ValidationException.require(subType == null && index == null, "content.template.components.subType",
            "only button components have a sub type and an index");
      }
      ValidationException.require(parameters != null && parameters.size() <= 100,
          "content.template.components.parameters", "at most 100 parameters");
      parameters = List.copyOf(parameters);
    }
  }

  /** A value for a template variable. */
  sealed interface TemplateParameter {
    /** Text; {@code name} for templates with named parameters, else null (positional). */
    record Text(String text, @Nullable String name) implements TemplateParameter {
      public Text {
        ValidationException.require(text != null && !text.isEmpty() && text.length() <= 32768,
            "content.template.parameters.text", "1 to 32768 characters");
        ValidationException.require(name == null || name.matches("[a-z0-9_]{1,64}"),
            "content.template.parameters.name", "a parameter name is 1 to 64 lower-case letters, digits or '_'");
      }

      @Override
      public String toString() {
        return "Text[" + text.length() + " chars" + (name == null ? "" : ", " + name) + "]";
      }
    }

    /** The payload a quick-reply button returns when tapped. */
    record Payload(String payload) implements TemplateParameter {
      public Payload {
        ValidationException.require(payload != null && !payload.isEmpty() && payload.length() <= 256,
            "content.template.parameters.payload", "1 to 256 characters");
      }
    }

    /** An amount of money; {@code amount1000} is the amount times 1000. */
    record Currency(String fallback, String code, long amount1000) implements TemplateParameter {
      public Currency {
        ValidationException.require(fallback != null && !fallback.isBlank(), "content.template.parameters.fallback",
            "a currency parameter needs a fallback text");
        ValidationException.require(code != null && code.matches("[A-Z]{3}"), "content.template.parameters.code",
            "an ISO 4217 currency code such as EUR");
      }
    }

    /** A date and time, shown as {@code fallback}. */
    record DateTime(String fallback) implements TemplateParameter {
      public DateTime {
        ValidationException.require(fallback != null && !fallback.isBlank(), "content.template.parameters.fallback",
            "a date_time parameter needs a fallback text");
      }
    }

    /** A header image, video or document. */
    record Media(MediaKind kind, MediaSource media, @Nullable String fileName) implements TemplateParameter {
      public Media {
        ValidationException.require(kind == MediaKind.IMAGE || kind == MediaKind.VIDEO || kind == MediaKind.DOCUMENT,
            "content.template.parameters.type", "a media parameter is an image, a video or a document");
        media = MediaChecks.check(kind, media);
      }
    }

    /** The code a copy-code button copies. */
    record CouponCode(String code) implements TemplateParameter {
      public CouponCode {
        ValidationException.require(code != null && !code.isEmpty() && code.length() <= 15,
            "content.template.parameters.couponCode", "1 to 15 characters");
      }
    }
  }

  /** A choice the recipient can tap: a reply button or a list row. */
  record Choice(String id, String title, @Nullable String description) {
    public Choice {
      ValidationException.require(id != null && !id.isBlank() && id.length() <= 200, "content.choices.id",
          "a choice id is 1 to 200 characters");
      ValidationException.require(title != null && !title.isBlank(), "content.choices.title",
          "a choice needs a title");
      ValidationException.require(description == null || description.length() <= 72,
          "content.choices.description", "a description is at most 72 characters");
    }

    public static Choice of(String id, String title) {
      return new Choice(id, title, null);
    }
  }

  /** Text with up to three reply buttons. */
  record Buttons(String body, @Nullable String header, @Nullable String footer, List<Choice> buttons)
      implements MessageContent {
    public Buttons {
      ValidationException.require(body != null && !body.isBlank() && body.length() <= 1024, "content.body",
          "the text of a buttons message is 1 to 1024 characters");
      headerFooter(header, footer);
      ValidationException.require(buttons != null && !buttons.isEmpty() && buttons.size() <= 3, "content.buttons",
          "1 to 3 buttons");
      ValidationException.require(buttons.stream().map(Choice::id).distinct().count() == buttons.size(),
          "content.buttons", "button ids must differ");
      for (int i = 0; i < buttons.size(); i++) {
        Choice b = buttons.get(i);
        ValidationException.require(b.title().length() <= 20, "content.buttons[" + i + "].title",
            "a button title is at most 20 characters");
        ValidationException.require(b.id().length() <= 256 && b.description() == null,
            "content.buttons[" + i + "]", "a button has an id and a title, no description");
      }
      buttons = List.copyOf(buttons);
    }

    @Override
    public String type() {
      return "buttons";
    }

    @Override
    public String toString() {
      return "Buttons[" + buttons.size() + " buttons]";
    }
  }

  /** One section of a list message. */
  record Section(@Nullable String title, List<Choice> rows) {
    public Section {
      ValidationException.require(title == null || title.length() <= 24, "content.sections.title",
          "a section title is at most 24 characters");
      ValidationException.require(rows != null && !rows.isEmpty(), "content.sections.rows",
          "a section has at least one row");
      for (Choice r : rows) {
        ValidationException.require(r.title().length() <= 24, "content.sections.rows.title",
            "a row title is at most 24 characters");
      }
      rows = List.copyOf(rows);
    }
  }

  /** Text with a button that opens a list of choices in sections (at most 10 rows in all). */
  record ListMessage(String body, String buttonText, @Nullable String header, @Nullable String footer,
      List<Section> sections) implements MessageContent {
    public ListMessage {
      ValidationException.require(body != null && !body.isBlank() && body.length() <= 4096, "content.body",
          "the text of a list message is 1 to 4096 characters");
      ValidationException.require(buttonText != null && !buttonText.isBlank() && buttonText.length() <= 20,
          "content.buttonText", "the list button's text is 1 to 20 characters");
      headerFooter(header, footer);
      ValidationException.require(sections != null && !sections.isEmpty() && sections.size() <= 10,
          "content.sections", "1 to 10 sections");
      long rows = sections.stream().mapToLong(x -> x.rows().size()).sum();
      ValidationException.require(rows <= 10, "content.sections", "at most 10 rows in all, there are " + rows);
      ValidationException.require(sections.size() == 1 || sections.stream().allMatch(x -> x.title() != null),
          "content.sections.title", "with more than one section every section needs a title");
      ValidationException.require(sections.stream().flatMap(x -> x.rows().stream()).map(Choice::id).distinct()
          .count() == rows, "content.sections.rows.id", "row ids must differ");
      sections = List.copyOf(sections);
    }

    @Override
    public String type() {
      return "list";
    }

    @Override
    public String toString() {
      return "ListMessage[" + sections.size() + " sections]";
    }
  }

  /** Inbound only: the recipient tapped a reply button or a list row (or a template's quick reply). */
  record ChoiceReply(String choiceId, String title) implements MessageContent {
    public ChoiceReply {
      ValidationException.require(choiceId != null && !choiceId.isEmpty() && choiceId.length() <= 256,
          "content.choiceId", "1 to 256 characters");
      ValidationException.require(title != null, "content.title", "a title is required");
    }

    @Override
    public String type() {
      return "choice_reply";
    }
  }

  private static void headerFooter(@Nullable String header, @Nullable String footer) {
    ValidationException.require(header == null || (!header.isBlank() && header.length() <= 60), "content.header",
        "a header is 1 to 60 characters");
    ValidationException.require(footer == null || (!footer.isBlank() && footer.length() <= 60), "content.footer",
        "a footer is 1 to 60 characters");
  }
}
