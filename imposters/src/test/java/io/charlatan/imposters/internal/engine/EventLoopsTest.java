package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.charlatan.imposters.EmbeddedMountebank;
import io.charlatan.imposters.Imposter;
import io.charlatan.imposters.ImposterSpec;
import io.charlatan.imposters.RemoteMountebank;
import io.charlatan.imposters.internal.server.Main;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The transport under every imposter: Linux's epoll where it loads, the JDK's NIO otherwise. */
class EventLoopsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The name of Netty's native epoll library, as the process maps it. */
  private static final String NATIVE_EPOLL = "netty_transport_native_epoll";

  @Test
  void chooses_epoll_where_it_loads_and_nio_when_asked_or_where_it_does_not() {
    assertThat(EventLoops.chooseEpoll("epoll", () -> true)).isTrue();
    assertThat(EventLoops.chooseEpoll(" EPOLL ", () -> true)).isTrue();
    assertThat(EventLoops.chooseEpoll("epoll", () -> false)).isFalse();
    assertThat(EventLoops.chooseEpoll("nio", () -> true)).isFalse();
    assertThatThrownBy(() -> EventLoops.chooseEpoll("kqueue", () -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("charlatan.transport=kqueue")
        .hasMessageContaining("epoll")
        .hasMessageContaining("nio");
  }

  @Test
  void io_threads_are_nettys_own_so_its_thread_locals_are_fields_not_lookups() throws Exception {
    for (io.netty.util.concurrent.EventExecutor loop : EventLoops.workers()) {
      assertThat(loop.submit(() -> Thread.currentThread()).get())
          .isInstanceOf(io.netty.util.concurrent.FastThreadLocalThread.class)
          .matches(Thread::isDaemon, "a daemon")
          .extracting(Thread::getName)
          .asString()
          .startsWith("charlatan-io-");
    }
  }

  @Test
  void imposters_run_on_epoll_on_linux_x86_64() throws Exception {
    assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the native transport in the build is Linux x86-64's");
    assertThat(EventLoops.epoll()).isTrue();
    assertThat(EventLoops.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    try (EmbeddedMountebank mountebank = EmbeddedMountebank.start();
        Imposter imposter =
            mountebank.createImposter(ImposterSpec.simple("GET", "/", 200, "over epoll"))) {
      assertThat(get(imposter.url())).isEqualTo("over epoll");
    }
    assertThat(Files.readString(Path.of("/proc/self/maps"))).contains(NATIVE_EPOLL);
  }

  @Test
  void a_server_told_to_use_nio_serves_imposters_over_nio() throws Exception {
    try (ServiceProcess server =
        ServiceProcess.start(
            ServiceDefinition.command(
                    JavaCommand.mainClass(Main.class)
                        .jvmArgs("-Dcharlatan.transport=nio")
                        .args("--port", "{port}", "--nologfile")
                        .toList())
                .name("mb-nio")
                .ready(Ready.whenHttp("/").returns(200))
                .build())) {
      RemoteMountebank client = new RemoteMountebank(server.url());
      try (Imposter imposter =
          client.createImposter(ImposterSpec.simple("GET", "/", 200, "over nio"))) {
        assertThat(get(imposter.url())).isEqualTo("over nio");
      }
      assertThat(Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps")))
          .doesNotContain(NATIVE_EPOLL);
    }
  }

  private static String get(URI url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
