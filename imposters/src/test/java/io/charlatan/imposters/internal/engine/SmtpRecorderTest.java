package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SmtpRecorderTest {
  /** Sends one message over a socket from this address; returns the last reply. */
  private static String send(InetAddress address, int port) throws Exception {
    try (Socket socket = new Socket(address, port)) {
      socket.setSoTimeout(10_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      in.readLine();
      socket
          .getOutputStream()
          .write(
              """
              HELO me
              MAIL FROM:<a@x>
              RCPT TO:<b@x>
              DATA
              From: a@x

              hi
              .
              QUIT
              """
                  .replace("\n", "\r\n")
                  .getBytes(StandardCharsets.UTF_8));
      String last = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("250 OK")) {
          last = line;
        }
      }
      return last;
    }
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress address : network.inetAddresses().toList()) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && network.isUp()) {
          return address;
        }
      }
    }
    Assumptions.abort("this machine has no IPv4 address other than loopback");
    return null;
  }

  @Test
  void accepts_but_neither_counts_nor_records_mail_from_a_client_it_does_not_allow()
      throws Exception {
    InetAddress outside = nonLoopbackAddress();
    List<String> warnings = new CopyOnWriteArrayList<>();
    Imposters imposters = new Imposters(null, false, 100);
    imposters.configure(new Access(true, List.of()), false, false);
    imposters.reportTo(
        new ImposterEvents() {
          @Override
          public void log(String level, String scope, String message) {
            if (level.equals("warn")) {
              warnings.add(message);
            }
          }
        });
    HttpImposter imposter =
        imposters.create(
            new ObjectMapper().readTree("{\"protocol\":\"smtp\",\"recordRequests\":true}"));
    try {
      assertThat(send(outside, imposter.port())).isEqualTo("250 OK: message queued");
      assertThat(send(InetAddress.getLoopbackAddress(), imposter.port()))
          .isEqualTo("250 OK: message queued");

      assertThat(imposter.recordedRequests()).hasSize(1);
      assertThat(imposter.toJson(false, false, false, "").get("numberOfRequests").asInt())
          .isEqualTo(1);
      assertThat(warnings)
          .containsExactly(
              "Blocking incoming connection from "
                  + outside.getHostAddress()
                  + ". Turn off --localOnly or add to --ipWhitelist to allow");
    } finally {
      imposters.deleteAll();
    }
  }
}
