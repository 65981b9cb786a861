package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client contract against our server reached over HTTP, as a standalone one would be. */
class RemoteMountebankAcceptanceTest extends MountebankContract {
  private static EmbeddedMountebank server;
  private static RemoteMountebank remote;

  @BeforeAll
  static void start() {
    server = EmbeddedMountebank.start();
    remote = new RemoteMountebank(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  Mountebank mountebank() {
    return remote;
  }

  @Test
  void tells_when_no_mountebank_listens_at_the_url() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RemoteMountebank nobody =
        new RemoteMountebank(URI.create("http://127.0.0.1:" + closedPort + "/"));

    assertThat(nobody.url()).hasToString("http://127.0.0.1:" + closedPort);
    assertThatThrownBy(nobody::imposterPorts)
        .isInstanceOfSatisfying(MountebankException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("cannot reach Mountebank at http://127.0.0.1:" + closedPort)
        .hasMessageContaining("is it running?");
  }

  @Test
  void rejects_urls_it_cannot_use() {
    assertThatThrownBy(() -> new RemoteMountebank(URI.create("https://localhost:2525")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be absolute http, e.g. http://localhost:2525");
    assertThatThrownBy(() -> new RemoteMountebank(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
