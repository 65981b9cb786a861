package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * smtp imposters against the real Mountebank 2.9.1: the same creation JSON to both, the same
 * messages sent with the same envelope, and the replies, recorded requests (every field) and the
 * REST API's answers compared, masked only where the servers differ by nature (ports, times).
 */
class SmtpDifferentialTest extends SideBySide {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Calls the REST API; returns the status and the body. */
  private static String call(URI api, String method, String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(api.resolve(path))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static int create(URI api, String json) throws Exception {
    String created = call(api, "POST", "/imposters", json);
    assertThat(created).startsWith("201 ");
    return Integer.parseInt(created.replaceAll("(?s).*?\"port\": (\\d+).*", "$1"));
  }

  private static String masked(String text, URI api, int... ports) {
    String result = maskedPorts(text, api, ports);
    return result.replaceAll("\"timestamp\": \"[^\"]+\"", "\"timestamp\": \"<time>\"");
  }

  /** Sends messages to a new imposter; returns the replies and what the API shows, masked. */
  private static String exchange(URI api, String creation, List<String> messages) throws Exception {
    int port = create(api, creation);
    List<String> answers = new ArrayList<>();
    try (SmtpClient client = new SmtpClient(port)) {
      for (String message : messages) {
        answers.add(
            client.mail(
                "env@example.com",
                List.of("r1@example.com", "R1@example.com", "r2@example.com"),
                message));
      }
      answers.add(client.command("QUIT"));
    }
    SmtpClient.send(port, "", List.of("other@example.com"), SmtpMessages.PLAIN);
    answers.add(call(api, "GET", "/imposters/" + port, null));
    answers.add(call(api, "GET", "/imposters", null));
    answers.add(call(api, "GET", "/imposters/" + port + "?replayable=true", null));
    answers.add(call(api, "DELETE", "/imposters/" + port, null));
    return masked(String.join("\n", answers), api, port);
  }

  private void compare(String creation, String... messages) throws Exception {
    String theirs = exchange(real.client().url(), creation, List.of(messages));
    String mine = exchange(ours.url(), creation, List.of(messages));
    assertThat(mine).isEqualTo(theirs);
  }

  @Test
  void records_a_plain_text_message_as_mountebank_does() throws Exception {
    compare("{'protocol':'smtp','recordRequests':true}", SmtpMessages.PLAIN);
  }

  @Test
  void records_an_html_and_text_alternative_with_encoded_words_as_mountebank_does()
      throws Exception {
    compare("{'protocol':'smtp','recordRequests':true,'name':'mail'}", SmtpMessages.ALTERNATIVE);
  }

  @Test
  void records_attachments_inline_images_and_flowed_text_as_mountebank_does() throws Exception {
    compare("{'protocol':'smtp','recordRequests':true}", SmtpMessages.ATTACHMENTS);
  }

  @Test
  void records_nested_multiparts_folded_headers_and_an_embedded_message_as_mountebank_does()
      throws Exception {
    compare("{'protocol':'smtp','recordRequests':true}", SmtpMessages.NESTED);
  }

  @Test
  void records_the_first_address_of_each_to_cc_and_bcc_header_as_mountebank_does()
      throws Exception {
    compare("{'protocol':'smtp','recordRequests':true}", SmtpMessages.RECIPIENTS);
  }

  @Test
  void records_several_messages_and_html_turned_into_text_as_mountebank_does() throws Exception {
    compare(
        "{'protocol':'smtp','recordRequests':true}",
        SmtpMessages.HTML_ONLY,
        SmtpMessages.MIXED_TEXT_AND_HTML,
        SmtpMessages.EDGES,
        SmtpMessages.PLAIN);
  }

  @Test
  void counts_but_does_not_record_messages_unless_asked_as_mountebank_does() throws Exception {
    compare("{'protocol':'smtp'}", SmtpMessages.PLAIN, SmtpMessages.PLAIN);
  }

  private static List<String> dialogue(URI api, List<List<String>> sessions) throws Exception {
    int port = create(api, "{'protocol':'smtp','recordRequests':true}");
    List<String> answers = new ArrayList<>();
    for (List<String> session : sessions) {
      try (SmtpClient client = new SmtpClient(port)) {
        answers.add(client.greeting());
        answers.addAll(client.dialogue(session));
      }
    }
    try (SmtpClient client = new SmtpClient(port)) {
      client.command("EHLO x");
      client.startTls();
      answers.addAll(
          client.dialogue(
              List.of(
                  "EHLO x",
                  "STARTTLS",
                  "AUTH PLAIN AGEAYg==",
                  "AUTH PLAIN",
                  "*",
                  "AUTH LOGIN",
                  "dXNlcg==",
                  "cGFzcw==",
                  "AUTH CRAM-MD5",
                  "AUTH PLAIN a b",
                  "AUTH PLAIN eA==",
                  "MAIL FROM:<tls@example.com>",
                  "RCPT TO:<x@example.com>",
                  "DATA",
                  "From: tls@example.com\r\nSubject: over TLS\r\n\r\nsecret\r\n.",
                  "QUIT")));
    }
    answers.add(call(api, "GET", "/imposters/" + port, null));
    call(api, "DELETE", "/imposters/" + port, null);
    return List.of(masked(String.join("\n", answers), api, port).split("\n", -1));
  }

  @Test
  void answers_smtp_commands_good_and_bad_as_mountebank_does() throws Exception {
    List<List<String>> sessions =
        List.of(
            List.of(
                "MAIL FROM:<a@b>",
                "DATA",
                "EHLO x",
                "VRFY",
                "HELP me",
                "NOOP",
                "ehlo",
                "helo a b",
                "HELO a",
                "RCPT TO:<c@d>",
                "DATA",
                "MAIL FROM:<>",
                "MAIL FROM:<a@b>",
                "RCPT TO:<>",
                "RCPT TO:<a@b> NOTIFY=NEVER",
                "rcpt to: <A@B>",
                "RSET",
                "DATA",
                "mail from:a@b",
                "MAIL FROM:<a@b@c>",
                "MAIL FROM: <@b>",
                "MAIL  FROM:<a@b>",
                "MAIL FROM:<a@xn--bcher-kva.example> BODY=8BITMIME",
                "WIZ",
                "WIZ pw",
                "SHELL",
                "KILL",
                "AUTH PLAIN",
                "XCLIENT ADDR=1.2.3.4",
                "XFORWARD NAME=x",
                "LHLO x",
                "",
                "QUIT",
                "NOOP"),
            List.of("GET / HTTP/1.1", "NOOP"),
            List.of("EHLO x", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"));
    List<String> theirs = dialogue(real.client().url(), sessions);
    List<String> mine = dialogue(ours.url(), sessions);
    assertThat(mine).containsExactlyElementsOf(theirs);
  }

  private static String replaced(URI api) throws Exception {
    List<String> answers = new ArrayList<>();
    String put =
        call(
            api,
            "PUT",
            "/imposters",
            "{'imposters':[{'protocol':'http','name':'web'},"
                + "{'protocol':'smtp','name':'mail','recordRequests':true}]}");
    // Lists are in port order, and the ports are chosen at random: say what they hold.
    answers.add(put.substring(0, 4) + put.contains("\"http\"") + " " + put.contains("\"smtp\""));
    String all = call(api, "GET", "/imposters", null);
    answers.add(all.contains("\"http\"") + " " + all.contains("\"smtp\""));
    int smtp = Integer.parseInt(all.replaceAll("(?s).*\"smtp\",\\s*\"port\": (\\d+).*", "$1"));
    int http = Integer.parseInt(all.replaceAll("(?s).*\"http\",\\s*\"port\": (\\d+).*", "$1"));
    SmtpClient.send(smtp, "a@example.com", List.of("b@example.com"), SmtpMessages.PLAIN);
    answers.add(call(api, "GET", "/imposters/" + smtp, null));
    answers.add(call(api, "GET", "/imposters/" + smtp + "?replayable=true", null));
    answers.add(call(api, "DELETE", "/imposters/" + smtp, null));
    answers.add(refused(smtp));
    answers.add(call(api, "GET", "/imposters", null));
    call(api, "DELETE", "/imposters", null);
    return masked(String.join("\n", answers), api, smtp, http);
  }

  private static String refused(int port) {
    try (Socket socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return "port " + port + " still open: " + socket.isConnected();
    } catch (IOException e) {
      return "port " + port + " closed";
    }
  }

  @Test
  void creates_smtp_imposters_in_a_set_and_deletes_them_as_mountebank_does() throws Exception {
    String theirs = replaced(real.client().url());
    String mine = replaced(ours.url());
    assertThat(mine).isEqualTo(theirs);
  }

  @Test
  void refuses_an_smtp_imposter_with_a_bad_stub_as_mountebank_does() throws Exception {
    String creation =
        "{'protocol':'smtp','stubs':[{'responses':[]},"
            + "{'predicates':[{'equals':{'subject':'x'}}],'responses':[{'is':{}}]}]}";
    String theirs = call(real.client().url(), "POST", "/imposters", creation);
    String mine = call(ours.url(), "POST", "/imposters", creation);
    assertThat(mine).isEqualTo(theirs);
  }

  private static String loaded(URI api) throws Exception {
    String all =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> call(api, "GET", "/imposters", null), body -> body.contains("smtp"));
    int port = Integer.parseInt(all.replaceAll("(?s).*\"port\": (\\d+).*", "$1"));
    SmtpClient.send(port, "a@example.com", List.of("b@example.com"), SmtpMessages.ALTERNATIVE);
    return masked(call(api, "GET", "/imposters/" + port, null), api, port);
  }

  @Test
  void creates_the_smtp_imposters_of_a_config_file_as_mountebank_does() throws Exception {
    Path dir = Files.createTempDirectory(work, "configfile");
    Path realDir = Files.createDirectories(dir.resolve("real"));
    Path ourDir = Files.createDirectories(dir.resolve("ours"));
    String config =
        "{\"imposters\":[{\"protocol\":\"smtp\",\"name\":\"from-file\",\"recordRequests\":true}]}";
    Files.writeString(realDir.resolve("imposters.json"), config);
    Files.writeString(ourDir.resolve("imposters.json"), config);
    List<String> options =
        List.of("--configfile", "imposters.json", "--nologfile", "--pidfile", "mb.pid");
    String theirs;
    try (RealMountebank mb = RealMountebank.startOrSkip(realDir, options)) {
      theirs = loaded(mb.client().url());
    }
    List<String> args = new ArrayList<>(List.of("--port", "{port}"));
    args.addAll(options);
    ServiceDefinition definition =
        ServiceDefinition.command(
                JavaCommand.mainClass(Main.class)
                    .jvmArgs("-XX:+UseSerialGC")
                    .args(args.toArray(String[]::new))
                    .toList())
            .name("mb")
            .workingDirectory(ourDir)
            .ready(Ready.whenPortOpen())
            .build();
    try (ServiceProcess server = ServiceProcess.start(definition)) {
      assertThat(loaded(server.url())).isEqualTo(theirs);
    }
  }
}
