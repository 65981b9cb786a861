package io.charlatan.imposters.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailRequestTest {
  private static ObjectNode read(String message) {
    return MailRequest.of(
        "127.0.0.1",
        "env@example.com",
        List.of("a@example.com", "b@example.com"),
        message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void records_the_envelope_and_the_fields_in_mountebanks_order() {
    ObjectNode request = read("From: Ann <ann@x.org>\nTo: bob@x.org\nSubject: Hi\n\nHello\n");

    assertThat(request.toString())
        .isEqualTo(
            "{\"requestFrom\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"envelopeFrom\":\"env@example.com\","
                + "\"envelopeTo\":[\"a@example.com\",\"b@example.com\"],"
                + "\"from\":{\"address\":\"ann@x.org\",\"name\":\"Ann\"},"
                + "\"to\":[{\"address\":\"bob@x.org\",\"name\":\"\"}],\"cc\":[],\"bcc\":[],"
                + "\"subject\":\"Hi\",\"priority\":\"normal\",\"references\":[],\"inReplyTo\":[],"
                + "\"text\":\"Hello\",\"html\":\"\",\"attachments\":[]}");
  }

  @Test
  void keeps_only_the_first_address_of_each_address_header_and_null_for_an_empty_one() {
    ObjectNode request =
        read("From: a@x\nTo: one@x, two@x\nTo: three@x\nTo:\nCc: Team: c@x, d@x;\n\nbody\n");

    assertThat(request.get("to").toString())
        .isEqualTo(
            "[{\"address\":\"one@x\",\"name\":\"\"},{\"address\":\"three@x\",\"name\":\"\"},null]");
    assertThat(request.get("cc").toString())
        .isEqualTo(
            "[{\"name\":\"Team\",\"group\":[{\"address\":\"c@x\",\"name\":\"\"},"
                + "{\"address\":\"d@x\",\"name\":\"\"}]}]");
  }

  @Test
  void leaves_out_from_and_subject_when_the_message_has_none() {
    ObjectNode request = read("To: one@x\nSubject:\n\nbody\n");

    assertThat(request.has("from")).isFalse();
    assertThat(request.has("subject")).isFalse();
    assertThat(request.get("text").asText()).isEqualTo("body");
  }

  @Test
  void unfolds_a_header_into_one_space_where_it_was_folded() {
    assertThat(read("From: a@x\nSubject: one\n  \t two\n\tthree\n\nb\n").get("subject").asText())
        .isEqualTo("one two three");
  }

  @Test
  void ignores_a_multipart_without_a_boundary() {
    ObjectNode request = read("From: a@x\nContent-Type: multipart/mixed\n\n--x\n\nnot a part\n");

    assertThat(request.get("attachments")).isEmpty();
    assertThat(request.get("text").asText()).isEmpty();
  }

  @Test
  void says_normal_priority_whatever_the_headers_say_as_mountebank_does() {
    assertThat(read("From: a@x\nX-Priority: 1\nImportance: high\n\nb\n").get("priority").asText())
        .isEqualTo("normal");
  }

  @Test
  void gives_one_reference_as_a_string_several_as_an_array_and_adds_angle_brackets() {
    assertThat(read("From: a@x\nReferences: <one@x>\n\nb\n").get("references").toString())
        .isEqualTo("\"<one@x>\"");
    assertThat(
            read("From: a@x\nReferences: <one@x> two@x\nReferences: <three@x>\n\nb\n")
                .get("references")
                .toString())
        .isEqualTo("[\"<one@x>\",\"<two@x>\",\"<three@x>\"]");
    assertThat(read("From: a@x\nIn-Reply-To: one@x\n\nb\n").get("inReplyTo").asText())
        .isEqualTo("<one@x>");
  }

  @Test
  void decodes_encoded_words_in_the_subject_and_in_names() {
    ObjectNode request =
        read(
            """
            From: =?UTF-8?B?SsO8cmdlbg==?= <j@x>
            To: =?UTF-8?B?QW5uIDxhbm5AeD4=?=
            Subject: =?ISO-8859-1?Q?Caf=E9?= =?UTF-8?Q?_=E2=82=AC?= and more

            b
            """);

    assertThat(request.get("subject").asText()).isEqualTo("Café € and more");
    assertThat(request.get("from").get("name").asText()).isEqualTo("Jürgen");
    assertThat(request.get("to").get(0).toString())
        .isEqualTo("{\"address\":\"ann@x\",\"name\":\"Ann\"}");
  }

  @Test
  void reads_text_and_html_alternatives_decoding_quoted_printable_base64_and_charsets() {
    ObjectNode request =
        read(
            """
            From: a@x
            Content-Type: multipart/alternative; boundary="b"

            --b
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Caf=E9 soft=
            break =3D
            --b
            Content-Type: text/html
            Content-Transfer-Encoding: base64

            PHA+SGk8L3A+
            --b--
            """);

    assertThat(request.get("text").asText()).isEqualTo("Café softbreak =");
    assertThat(request.get("html").asText()).isEqualTo("<p>Hi</p>");
  }

  @Test
  void turns_html_into_text_for_an_html_message_and_text_into_html_beside_html_parts() {
    assertThat(
            read("From: a@x\nContent-Type: text/html\n\n<h1>Title</h1><p>one<br>two</p>\n")
                .get("text")
                .asText())
        .isEqualTo("TITLE\n\none\ntwo");
    ObjectNode mixed =
        read(
            "From: a@x\nContent-Type: multipart/mixed; boundary=m\n\n--m\n\nfirst & <b>\n\nnext"
                + "\n--m\nContent-Type: text/html\n\n<i>html</i>\n--m--\n");
    assertThat(mixed.get("html").asText())
        .isEqualTo("<p>first &amp; &lt;b&gt;</p><p>next</p><br/>\n<i>html</i>");
    assertThat(mixed.get("text").asText()).isEqualTo("first & <b>\n\nnext\nhtml");
  }

  @Test
  void records_attachments_with_their_bytes_type_part_number_checksum_and_size() {
    ObjectNode request =
        read(
            """
            From: a@x
            Content-Type: multipart/mixed; boundary=m

            --m

            body
            --m
            Content-Type: application/octet-stream; name="r.pdf"
            Content-Transfer-Encoding: base64

            JVBERg==
            --m
            Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC.csv

            a,b
            --m--
            """);

    JsonNode attachments = request.get("attachments");
    assertThat(attachments).hasSize(2);
    assertThat(attachments.get(0).toString())
        .isEqualTo(
            "{\"type\":\"attachment\",\"content\":{\"type\":\"Buffer\",\"data\":[37,80,68,70]},"
                + "\"contentType\":\"application/pdf\",\"partId\":\"2\",\"release\":null,"
                + "\"filename\":\"r.pdf\",\"headers\":{},"
                + "\"checksum\":\"bfa4b10a76324b166cfdad5e02a63730\",\"size\":4}");
    assertThat(attachments.get(1).get("contentType").asText()).isEqualTo("text/csv");
    assertThat(attachments.get(1).get("contentDisposition").asText()).isEqualTo("attachment");
    assertThat(attachments.get(1).get("filename").asText()).isEqualTo("€.csv");
    assertThat(attachments.get(1).get("partId").asText()).isEqualTo("3");
    assertThat(request.get("text").asText()).isEqualTo("body");
  }

  @Test
  void inlines_related_images_into_the_html_and_numbers_nested_parts() {
    ObjectNode request =
        read(
            """
            From: a@x
            Content-Type: multipart/related; boundary=r

            --r
            Content-Type: text/html

            <img src="cid:pic"><img src="cid:other">
            --r
            Content-Type: image/gif
            Content-ID: <pic>
            Content-Transfer-Encoding: base64

            R0lG
            --r--
            """);

    assertThat(request.get("html").asText())
        .isEqualTo("<img src=\"data:image/gif;base64,R0lG\"><img src=\"cid:other\">");
    JsonNode image = request.get("attachments").get(0);
    assertThat(image.get("contentId").asText()).isEqualTo("<pic>");
    assertThat(image.get("cid").asText()).isEqualTo("pic");
    assertThat(image.get("related").asBoolean()).isTrue();
    assertThat(image.get("partId").asText()).isEqualTo("2");
    assertThat(request.get("text").asText()).isEmpty();
  }

  @Test
  void joins_flowed_lines_and_treats_unknown_dispositions_as_attachments() {
    ObjectNode request =
        read(
            """
            From: a@x
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain; format=flowed

            soft\s
            line
             stuffed
            --m
            Content-Type: text/plain
            Content-Disposition: weird

            file
            --m
            Content-Type: text/plain; format=flowed; delsp=yes

            de\s
            leted
            --m--
            """);

    assertThat(request.get("text").asText()).isEqualTo("soft line\nstuffed\ndeleted");
    assertThat(request.get("attachments").get(0).get("contentDisposition").asText())
        .isEqualTo("weird");
  }

  @Test
  void reads_a_message_without_a_body_or_a_closing_boundary() {
    assertThat(read("From: a@x").get("text").asText()).isEmpty();
    ObjectNode unclosed =
        read("From: a@x\nContent-Type: multipart/mixed; boundary=m\n\n--m\n\nlast part\n");
    assertThat(unclosed.get("text").asText()).isEqualTo("last part");
  }

  @Test
  void guesses_types_of_attachments_without_a_content_type_from_their_name() {
    ObjectNode request =
        read(
            """
            From: a@x
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Disposition: attachment; filename="x.PNG"

            z
            --m
            Content-Disposition: attachment

            z
            --m
            Content-Type: application/octet-stream; name=noextension

            z
            --m--
            """);

    JsonNode attachments = request.get("attachments");
    assertThat(attachments.get(0).get("contentType").asText()).isEqualTo("image/png");
    assertThat(attachments.get(1).get("contentType").asText())
        .isEqualTo("application/octet-stream");
    assertThat(attachments.get(2).get("contentType").asText())
        .isEqualTo("application/octet-stream");
  }
}
