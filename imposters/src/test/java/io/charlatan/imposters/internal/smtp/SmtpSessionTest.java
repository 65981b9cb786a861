package io.charlatan.imposters.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmtpSessionTest {
  private final List<String> received = new ArrayList<>();
  private final List<String> clients = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new SmtpSession(
              "10.0.0.1",
              "10.0.0.1:5000",
              (client, request) -> {
                clients.add(client);
                received.add(request.toString());
              },
              null));

  private void greet() {
    channel.advanceTimeBy(SmtpSession.GREETING_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  private void send(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private String replies() {
    StringBuilder out = new StringBuilder();
    ByteBuf buffer;
    while ((buffer = channel.readOutbound()) != null) {
      out.append(buffer.toString(StandardCharsets.UTF_8));
      buffer.release();
    }
    return out.toString();
  }

  @Test
  void greets_after_a_moment_and_refuses_a_client_that_talks_first() {
    send("EHLO early\r\n");

    assertThat(replies()).isEqualTo("421 " + SmtpSession.hostname() + " You talk too soon\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void receives_a_message_whose_data_arrives_a_byte_at_a_time() {
    greet();
    assertThat(replies()).isEqualTo("220 " + SmtpSession.hostname() + " ESMTP\r\n");
    send("HELO me\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
    for (char c : "From: a@x\r\n\r\n..dot\r\nbare\n.\nnot the end\r\n.\r\nNOOP\r\n".toCharArray()) {
      send(String.valueOf(c));
    }

    assertThat(replies())
        .isEqualTo(
            "250 "
                + SmtpSession.hostname()
                + " Nice to meet you, [10.0.0.1]\r\n250 Accepted\r\n250 Accepted\r\n"
                + "354 End data with <CR><LF>.<CR><LF>\r\n250 OK: message queued\r\n250 OK\r\n");
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).contains("\"text\":\".dot\\nbare\\n.\\nnot the end\"");
    assertThat(clients).containsExactly("10.0.0.1:5000");
  }

  @Test
  void ends_data_given_at_once_and_reads_an_empty_message() {
    greet();
    replies();
    send("EHLO me\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n.\r\nRCPT TO:<c@x>\r\n");

    assertThat(replies()).endsWith("250 OK: message queued\r\n503 Error: need MAIL command\r\n");
    assertThat(received).hasSize(1);
  }

  @Test
  void closes_after_ten_unrecognized_commands() {
    greet();
    replies();
    send("x\r\n".repeat(11));

    assertThat(replies())
        .isEqualTo(
            "500 Error: command not recognized\r\n".repeat(9)
                + "421 Error: too many unrecognized commands\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closes_after_a_thousand_commands_without_authentication() {
    greet();
    replies();
    send("NOOP\r\n".repeat(1000));

    assertThat(replies())
        .isEqualTo("250 OK\r\n".repeat(999) + "421 Error: too many unauthenticated commands\r\n");
  }

  @Test
  void says_goodbye_to_an_idle_client_and_closes() {
    greet();
    replies();
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);

    assertThat(replies()).isEqualTo("421 Timeout - closing connection\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closes_on_a_line_longer_than_a_mebibyte() {
    greet();
    replies();
    send("a".repeat(1024 * 1024 + 1));

    assertThat(replies()).isEqualTo("421 Error: line too long\r\n");
  }

  @Test
  void quits_and_ignores_what_follows() {
    greet();
    replies();
    send("QUIT\r\nNOOP\r\n");

    assertThat(replies()).isEqualTo("221 Bye\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void reads_the_address_of_mail_and_rcpt_as_mountebanks_server_does() {
    assertThat(SmtpSession.address("MAIL FROM", "MAIL FROM:<a@xn--bcher-kva.example> SIZE=1"))
        .containsExactly("a@bücher.example");
    assertThat(SmtpSession.address("MAIL FROM", "mail from: <>")).containsExactly("");
    assertThat(SmtpSession.address("RCPT TO", "RCPT TO:<a:b@c>")).containsExactly("a:b@c");
    assertThat(SmtpSession.address("RCPT TO", "RCPT TO:b@c")).isNull();
    assertThat(SmtpSession.address("RCPT TO", "RCPT TO:<b@>")).isNull();
    assertThat(SmtpSession.address("RCPT TO", "MAIL FROM:<b@c>")).isNull();
  }

  @Test
  void passes_the_request_it_read_to_the_listener() {
    List<ObjectNode> requests = new ArrayList<>();
    EmbeddedChannel session =
        new EmbeddedChannel(
            new SmtpSession("ip", "c", (client, request) -> requests.add(request), null));
    session.advanceTimeBy(SmtpSession.GREETING_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    session.runScheduledPendingTasks();
    session.writeInbound(
        Unpooled.copiedBuffer(
            "HELO a\r\nMAIL FROM:<>\r\nRCPT TO:<x@y>\r\nDATA\r\nFrom: f@g\r\n\r\nhi\r\n.\r\n",
            StandardCharsets.UTF_8));

    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).get("envelopeFrom").asText()).isEmpty();
    assertThat(requests.get(0).get("requestFrom").asText()).isEqualTo("ip");
    session.finishAndReleaseAll();
  }
}
