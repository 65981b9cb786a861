package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A message an smtp imposter received and recorded, as Mountebank shows it: the envelope ({@code
 * MAIL FROM}, {@code RCPT TO}), the first address of each {@code From}, {@code To}, {@code Cc} and
 * {@code Bcc} header, the subject, the text and html bodies (trimmed) and the attachments.
 *
 * <pre>{@code
 * Imposter mail = mountebank.createImposter(ImposterSpec.smtp());
 * // ... the service under test sends its mail to localhost:mail.port(), then:
 * RecordedMessage message = mail.waitForMessages(1, Duration.ofSeconds(5)).get(0);
 * assertThat(message.envelopeTo()).containsExactly("ann@example.com");
 * assertThat(message.subject()).contains("Welcome");
 * }</pre>
 */
public final class RecordedMessage {
  private final String envelopeFrom;
  private final List<String> envelopeTo;
  private final Address from;
  private final List<Address> to;
  private final List<Address> cc;
  private final List<Address> bcc;
  private final String subject;
  private final String text;
  private final String html;
  private final List<Attachment> attachments;
  private final String requestFrom;
  private final Instant timestamp;
  private final String json;

  private RecordedMessage(JsonNode node) {
    this.envelopeFrom = node.path("envelopeFrom").asText("");
    List<String> recipients = new ArrayList<>();
    node.path("envelopeTo").forEach(address -> recipients.add(address.asText()));
    this.envelopeTo = List.copyOf(recipients);
    this.from = node.path("from").isObject() ? Address.of(node.get("from")) : null;
    this.to = addresses(node.path("to"));
    this.cc = addresses(node.path("cc"));
    this.bcc = addresses(node.path("bcc"));
    this.subject = node.path("subject").isTextual() ? node.get("subject").asText() : null;
    this.text = node.path("text").asText("");
    this.html = node.path("html").asText("");
    List<Attachment> files = new ArrayList<>();
    node.path("attachments").forEach(attachment -> files.add(Attachment.of(attachment)));
    this.attachments = List.copyOf(files);
    this.requestFrom = node.path("requestFrom").asText();
    String time = node.path("timestamp").asText(null);
    this.timestamp = time == null ? null : Instant.parse(time);
    this.json = node.toString();
  }

  static RecordedMessage of(JsonNode node) {
    return new RecordedMessage(node);
  }

  private static List<Address> addresses(JsonNode array) {
    List<Address> addresses = new ArrayList<>();
    array.forEach(
        address -> {
          if (address.isObject()) {
            addresses.add(Address.of(address));
          }
        });
    return List.copyOf(addresses);
  }

  /** The sender given to {@code MAIL FROM}; empty for the null sender {@code <>}. */
  public String envelopeFrom() {
    return envelopeFrom;
  }

  /** The recipients given to {@code RCPT TO}, in order, each once; never null. */
  public List<String> envelopeTo() {
    return envelopeTo;
  }

  /** The first address of the {@code From} header; empty when the message has none. */
  public Optional<Address> from() {
    return Optional.ofNullable(from);
  }

  /**
   * The first address of each {@code To} header (Mountebank records no more); never null. Blind
   * copies show only in {@link #envelopeTo()}.
   */
  public List<Address> to() {
    return to;
  }

  /** The first address of each {@code Cc} header; never null. */
  public List<Address> cc() {
    return cc;
  }

  /** The first address of each {@code Bcc} header, when the client sent one; never null. */
  public List<Address> bcc() {
    return bcc;
  }

  /** The subject, encoded words decoded; empty when the message has none. */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /** The plain text body, trimmed; empty if none. */
  public String text() {
    return text;
  }

  /** The html body, trimmed; empty if none. */
  public String html() {
    return html;
  }

  /** The attachments, in the order of the message; never null. */
  public List<Attachment> attachments() {
    return attachments;
  }

  /** The client's address. */
  public String requestFrom() {
    return requestFrom;
  }

  /** When it was recorded. */
  public Instant timestamp() {
    return timestamp;
  }

  /** The message as Mountebank's JSON. */
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return "message from "
        + envelopeFrom
        + " to "
        + envelopeTo
        + (subject == null ? "" : ": " + subject);
  }

  /**
   * An address of a message header.
   *
   * @param address the address, e.g. {@code ann@example.com}; empty for a group
   * @param name the display name, e.g. {@code Ann}; empty if none
   */
  public record Address(String address, String name) {
    static Address of(JsonNode node) {
      return new Address(node.path("address").asText(""), node.path("name").asText(""));
    }
  }

  /** A file attached to a message. */
  public static final class Attachment {
    private final String filename;
    private final String contentType;
    private final byte[] content;

    private Attachment(String filename, String contentType, byte[] content) {
      this.filename = filename;
      this.contentType = contentType;
      this.content = content;
    }

    static Attachment of(JsonNode node) {
      JsonNode data = node.path("content").path("data");
      byte[] content = new byte[data.size()];
      for (int i = 0; i < content.length; i++) {
        content[i] = (byte) data.get(i).asInt();
      }
      return new Attachment(
          node.path("filename").isTextual() ? node.get("filename").asText() : null,
          node.path("contentType").asText(""),
          content);
    }

    /** The file name the message gives; empty if none. */
    public Optional<String> filename() {
      return Optional.ofNullable(filename);
    }

    /** The content type, e.g. {@code application/pdf}. */
    public String contentType() {
      return contentType;
    }

    /** The decoded bytes: a copy. */
    public byte[] content() {
      return content.clone();
    }

    @Override
    public String toString() {
      return "attachment " + (filename == null ? "" : filename + " ") + contentType;
    }
  }
}
