package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** smtp imposters over real sockets, read through the Java API as a user would. */
class SmtpAcceptanceTest {
  private static EmbeddedMountebank mountebank;

  @BeforeAll
  static void start() {
    mountebank = EmbeddedMountebank.start();
  }

  @AfterAll
  static void stop() {
    mountebank.close();
  }

  @Test
  void a_java_user_reads_the_envelope_addresses_bodies_and_attachments_of_received_mail()
      throws Exception {
    try (Imposter mail = mountebank.createImposter(ImposterSpec.smtp().name("mail"))) {
      SmtpClient.send(
          mail.port(), "bounce@example.com", List.of("first@example.com"), SmtpMessages.RECIPIENTS);
      SmtpClient.send(mail.port(), "", List.of("one@example.com"), SmtpMessages.ATTACHMENTS);

      List<RecordedMessage> messages = mail.waitForMessages(2, Duration.ofSeconds(10));

      RecordedMessage first = messages.get(0);
      assertThat(first.envelopeFrom()).isEqualTo("bounce@example.com");
      assertThat(first.envelopeTo()).containsExactly("first@example.com");
      assertThat(first.from()).contains(new RecordedMessage.Address("s@example.com", "Sender"));
      assertThat(first.to())
          .containsExactly(
              new RecordedMessage.Address("first@example.com", ""),
              new RecordedMessage.Address("third@example.com", ""));
      assertThat(first.cc())
          .containsExactly(
              new RecordedMessage.Address("", "Friends"),
              new RecordedMessage.Address("carl@example.com", "Carl"));
      assertThat(first.bcc())
          .containsExactly(new RecordedMessage.Address("hidden@example.com", "Hidden Person"));
      assertThat(first.subject()).contains("many recipients");
      assertThat(first.text()).isEqualTo("Hi all");
      assertThat(first.html()).isEmpty();
      assertThat(first.requestFrom()).isEqualTo("127.0.0.1");
      assertThat(first.timestamp()).isNotNull();
      assertThat(first.json()).contains("\"envelopeFrom\":\"bounce@example.com\"");
      assertThat(first)
          .hasToString("message from bounce@example.com to [first@example.com]: many recipients");

      RecordedMessage second = messages.get(1);
      assertThat(second.envelopeFrom()).isEmpty();
      assertThat(second.html()).contains("data:image/png;base64,iVBORw0KGgo=");
      assertThat(second.attachments()).hasSize(4);
      RecordedMessage.Attachment pdf = second.attachments().get(1);
      assertThat(pdf.filename()).contains("report.pdf");
      assertThat(pdf.contentType()).isEqualTo("application/pdf");
      assertThat(new String(pdf.content(), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4\n");
      assertThat(pdf).hasToString("attachment report.pdf application/pdf");
      assertThat(second.attachments().get(3).filename()).isEmpty();
      assertThat(mail.numberOfRequests()).isEqualTo(2);
      assertThat(mail.recentOutput())
          .anyMatch(line -> line.contains("=> Envelope from: {\"address\":\"s@example.com\""));
    }
  }

  @Test
  void reads_no_from_and_no_subject_for_a_message_without_them() throws Exception {
    try (Imposter mail = mountebank.createImposter(ImposterSpec.smtp())) {
      SmtpClient.send(mail.port(), "a@x.org", List.of("b@x.org"), "To: b@x.org\n\nbare\n");

      RecordedMessage message = mail.waitForMessages(1, Duration.ofSeconds(10)).get(0);

      assertThat(message.from()).isEmpty();
      assertThat(message.subject()).isEmpty();
      assertThat(message.text()).isEqualTo("bare");
      assertThat(message).hasToString("message from a@x.org to [b@x.org]");
      assertThat(mail.recentOutput()).anyMatch(line -> line.contains("Envelope from: undefined"));
    }
  }

  @Test
  void receives_mail_over_starttls_with_the_default_certificate() throws Exception {
    try (Imposter mail = mountebank.createImposter(ImposterSpec.smtp());
        SmtpClient client = new SmtpClient(mail.port())) {
      client.command("EHLO me");
      client.startTls();
      assertThat(client.command("EHLO me")).doesNotContain("STARTTLS");
      client.mail("a@x.org", List.of("b@x.org"), "From: a@x.org\nSubject: secret\n\nsealed\n");

      assertThat(mail.messages()).extracting(RecordedMessage::text).containsExactly("sealed");
    }
  }

  @Test
  void an_smtp_spec_has_no_stubs_and_other_imposters_have_no_messages() throws Exception {
    assertThatThrownBy(() -> ImposterSpec.smtp().stub(StubSpec.on("GET", "/").respond(200, "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accepts and records every message");
    assertThatThrownBy(
            () -> ImposterSpec.smtp().stub(request -> true, request -> StubResponse.of(200, "")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ImposterSpec.smtp().port(2525).toJson())
        .isEqualTo("{\"protocol\":\"smtp\",\"port\":2525,\"recordRequests\":true,\"stubs\":[]}");
    try (Imposter web = mountebank.createImposter(ImposterSpec.http())) {
      assertThat(web.messages()).isEmpty();
    }
  }

  @Test
  void deleting_an_smtp_imposter_closes_its_port_and_its_connections() throws Exception {
    Imposter mail = mountebank.createImposter(ImposterSpec.smtp());
    try (SmtpClient open = new SmtpClient(mail.port())) {
      assertThat(open.greeting()).startsWith("220 ");
      mail.close();

      assertThat(open.command("NOOP")).isEqualTo("<closed>");
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), mail.port()).close())
        .isInstanceOf(IOException.class);
  }
}
