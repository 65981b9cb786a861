package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An imposter's listening sockets: where connections are accepted, and who else may listen. */
class ListenersTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Which thread accepted each connection, by the client's port. */
  private final Map<Integer, String> acceptedOn = new ConcurrentHashMap<>();

  /** Records which thread accepted each connection; on each listening socket of a bootstrap. */
  @ChannelHandler.Sharable
  private final class RecordingAccepts extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object accepted) {
      int clientPort = ((InetSocketAddress) ((Channel) accepted).remoteAddress()).getPort();
      acceptedOn.put(clientPort, Thread.currentThread().getName());
      context.fireChannelRead(accepted);
    }
  }

  /** A bootstrap whose connections answer the name of the thread serving them, then close. */
  private ServerBootstrap namingThreads() {
    return new ServerBootstrap()
        .channel(EventLoops.serverChannel())
        .handler(new RecordingAccepts())
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                byte[] name = Thread.currentThread().getName().getBytes(StandardCharsets.US_ASCII);
                channel
                    .writeAndFlush(Unpooled.wrappedBuffer(name))
                    .addListener(ChannelFutureListener.CLOSE);
              }
            });
  }

  @Test
  void under_epoll_each_io_thread_accepts_and_serves_its_own_connections() throws Exception {
    assumeTrue(EventLoops.epoll(), "one listening socket per I/O thread is epoll's");
    try (Listeners listeners =
        Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, 0))) {
      Set<String> servedOn = new HashSet<>();
      for (int i = 0; i < 64; i++) {
        try (Socket client = new Socket(LOOPBACK, listeners.port())) {
          String served = read(client.getInputStream());
          servedOn.add(served);
          assertThat(acceptedOn.get(client.getLocalPort()))
              .as("the thread that accepted the connection from port %d", client.getLocalPort())
              .isEqualTo(served);
        }
      }
      // The kernel spreads connections over the sockets by their addresses: 64 all on one of two
      // sockets would be a chance of 1 in 2^63.
      assertThat(servedOn)
          .hasSize(((MultithreadEventExecutorGroup) EventLoops.workers()).executorCount())
          .allSatisfy(name -> assertThat(name).startsWith("charlatan-io-"));
    }
  }

  @Test
  void a_port_an_imposter_listens_on_is_refused_to_a_second_imposter() throws Exception {
    try (Listeners first = Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, 0))) {
      assertThatThrownBy(
              () -> Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, first.port())))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("in use");

      try (Socket client = new Socket(LOOPBACK, first.port())) {
        assertThat(read(client.getInputStream())).startsWith("charlatan-io-");
      }
    }
  }

  @Test
  void a_port_another_server_listens_on_is_refused() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 50, LOOPBACK)) {
      assertThatThrownBy(
              () ->
                  Listeners.bind(
                      namingThreads(), new InetSocketAddress(LOOPBACK, other.getLocalPort())))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void closing_lets_the_port_go_for_anyone_to_listen_on() throws Exception {
    int port;
    try (Listeners listeners =
        Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, 0))) {
      port = listeners.port();
    }
    try (ServerSocket next = new ServerSocket()) {
      next.setReuseAddress(true);
      next.bind(new InetSocketAddress(LOOPBACK, port));
      assertThat(next.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void an_io_thread_can_close_listeners_without_waiting_for_itself() throws Exception {
    Listeners listeners = Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, 0));
    int port = listeners.port();

    EventLoops.workers().next().submit(listeners::close).get(10, TimeUnit.SECONDS);

    // The close queued on the calling thread's own loop is done once that loop runs again.
    EventLoops.workers().forEach(loop -> loop.submit(() -> {}).syncUninterruptibly());
    try (ServerSocket next = new ServerSocket()) {
      next.setReuseAddress(true);
      next.bind(new InetSocketAddress(LOOPBACK, port));
      assertThat(next.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void a_given_port_is_the_port_listened_on() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 50, LOOPBACK)) {
      port = free.getLocalPort();
    }
    try (Listeners listeners =
            Listeners.bind(namingThreads(), new InetSocketAddress(LOOPBACK, port));
        Socket client = new Socket(LOOPBACK, port)) {
      assertThat(listeners.port()).isEqualTo(port);
      assertThat(read(client.getInputStream())).startsWith("charlatan-io-");
    }
  }

  private static String read(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }
}
