package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connections an imposter drops when it stops, tracked on the threads that serve them. */
class ConnectionsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Connections connections = new Connections(EventLoops.workers());

  /** Server-side channels, as they were accepted. */
  private final ConcurrentLinkedQueue<Channel> accepted = new ConcurrentLinkedQueue<>();

  /** A permit per connection accepted. */
  private final Semaphore acceptedCount = new Semaphore(0);

  private Listeners listen() throws Exception {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .channel(EventLoops.serverChannel())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    accepted.add(channel);
                    acceptedCount.release();
                  }
                });
    return Listeners.bind(bootstrap, new InetSocketAddress(LOOPBACK, 0));
  }

  @Test
  void closing_all_drops_every_open_connection_on_every_io_thread() throws Exception {
    try (Listeners listeners = listen()) {
      List<Socket> clients = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        clients.add(connect(listeners.port()));
      }
      awaitAccepted(40);
      // Some close first, from the client's side: they leave the list on their own.
      for (Socket client : clients.subList(0, 10)) {
        client.close();
      }

      connections.closeAll();

      assertThat(accepted).allSatisfy(channel -> assertThat(channel.isOpen()).isFalse());
      assertThat(accepted.stream().map(Channel::eventLoop).distinct().count())
          .as("the connections were spread over the I/O threads")
          .isEqualTo(((MultithreadEventExecutorGroup) EventLoops.workers()).executorCount());
      for (Socket client : clients.subList(10, 40)) {
        assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
        client.close();
      }
    }
  }

  @Test
  void a_connection_that_closed_is_not_held_on_to() throws Exception {
    ReferenceQueue<Channel> collected = new ReferenceQueue<>();
    List<WeakReference<Channel>> closed = new ArrayList<>();
    try (Listeners listeners = listen()) {
      for (int i = 0; i < 20; i++) {
        connect(listeners.port()).close();
      }
      awaitAccepted(20);
      for (Channel channel : accepted) {
        channel.closeFuture().syncUninterruptibly();
        closed.add(new WeakReference<>(channel, collected));
      }
      accepted.clear();

      int gone = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (gone < closed.size() && System.nanoTime() < deadline) {
        System.gc();
        // Waits for the collector to report a connection, up to 100 ms, before asking again.
        if (collected.remove(100) != null) {
          gone++;
        }
      }
      assertThat(closed)
          .as("closed connections collected, so an imposter's list does not grow with its traffic")
          .allSatisfy(reference -> assertThat(reference.get()).isNull());
    }
  }

  @Test
  void closing_all_with_none_open_returns_at_once() {
    connections.closeAll();
  }

  @Test
  void a_connection_served_by_another_thread_is_refused_with_the_thread_named() {
    Channel elsewhere = new io.netty.channel.embedded.EmbeddedChannel();
    assertThatThrownBy(() -> connections.add(elsewhere))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(elsewhere.eventLoop().toString())
        .hasMessageContaining("none of the imposter's I/O threads");
  }

  private static Socket connect(int port) throws Exception {
    Socket client = new Socket(LOOPBACK, port);
    client.setSoTimeout(5000);
    return client;
  }

  private void awaitAccepted(int count) throws InterruptedException {
    assertThat(acceptedCount.tryAcquire(count, 10, TimeUnit.SECONDS))
        .as("%d connections accepted within 10 s", count)
        .isTrue();
    assertThat(accepted).hasSize(count);
  }
}
