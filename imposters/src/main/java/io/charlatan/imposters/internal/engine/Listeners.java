package io.charlatan.imposters.internal.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of one imposter.
 *
 * <p>Under epoll, one socket per I/O thread, all on the imposter's port ({@code SO_REUSEPORT}): the
 * kernel spreads new connections over them, and each thread accepts and serves its own, as nginx's
 * workers do. With one socket on a thread that only accepts, each connection was handed to an I/O
 * thread as a task, a wake-up of that thread per connection (bench/imposters.md, session 16). Under
 * NIO, one socket on the accepting loop, each connection handed to the I/O threads in turn.
 *
 * <p>{@code SO_REUSEPORT} lets any socket of the same user that sets it too listen on the port
 * beside ours and take a share of its connections. So the port is first bound as a server without
 * that option binds it, by a socket that never listens: a port that an imposter of any server (ours
 * set the option), or any other server, listens on is refused as before, and a second server
 * started on an imposter's port no longer shares it without a word. Binds of this JVM take turns.
 */
final class Listeners implements AutoCloseable {
  /**
   * Binds of this JVM take turns: two imposters given the same port must not both pass the check.
   */
  private static final Object BINDING = new Object();

  private final List<Channel> channels;

  private Listeners(List<Channel> channels) {
    this.channels = List.copyOf(channels);
  }

  /**
   * Listens on the address: on each I/O thread under epoll, on the accepting loop under NIO.
   *
   * @param bootstrap the server's handlers and options, without event loops
   * @param address the address and port; port 0 for one the system chooses
   * @throws BindException if the port is in use
   * @throws Exception as Netty's bind, for any other failure
   */
  static Listeners bind(ServerBootstrap bootstrap, InetSocketAddress address) throws Exception {
    if (!EventLoops.epoll()) {
      return new Listeners(
          List.of(
              bootstrap
                  .clone()
                  .group(EventLoops.boss(), EventLoops.workers())
                  .bind(address)
                  .sync()
                  .channel()));
    }
    synchronized (BINDING) {
      // With port 0, the port the check got is bound straight after: another process binding that
      // very port in the microseconds between makes this bind fail as a port in use.
      return onEachThread(bootstrap, claim(address));
    }
  }

  /**
   * Binds the address as a server without {@code SO_REUSEPORT} would (with {@code SO_REUSEADDR}, as
   * Netty's, the JDK's and most servers' listening sockets do, so that connections of an earlier
   * listener waiting out their close do not count), without listening, and lets it go.
   *
   * @return the address with the port bound
   * @throws BindException if another socket listens there
   */
  private static InetSocketAddress claim(InetSocketAddress address) throws IOException {
    try (SocketChannel probe = SocketChannel.open()) {
      probe.socket().setReuseAddress(true);
      probe.bind(address);
      int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
      return new InetSocketAddress(address.getAddress(), port);
    }
  }

  private static Listeners onEachThread(ServerBootstrap bootstrap, InetSocketAddress address)
      throws Exception {
    List<Channel> bound = new ArrayList<>();
    try {
      for (EventExecutor executor : EventLoops.workers()) {
        EventLoop loop = (EventLoop) executor;
        ServerBootstrap own =
            bootstrap.clone().group(loop, loop).option(EpollChannelOption.SO_REUSEPORT, true);
        // Made on its own thread: Netty caches facts about handler classes per thread, and a miss
        // on the API's thread (its first imposter) threw away the JIT's code for every connection's
        // pipeline, which C2 then compiled again under the first load (bench/imposters.md).
        Promise<Channel> listening = loop.newPromise();
        loop.execute(
            () ->
                own.bind(address)
                    .addListener(
                        (ChannelFuture done) -> {
                          if (done.isSuccess()) {
                            listening.setSuccess(done.channel());
                          } else {
                            listening.setFailure(done.cause());
                          }
                        }));
        bound.add(listening.sync().getNow());
      }
      return new Listeners(bound);
    } catch (Exception | Error e) {
      new Listeners(bound).close();
      throw e;
    }
  }

  /** The port listened on. */
  int port() {
    return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
  }

  /** Stops listening; connections already accepted stay open. */
  @Override
  public void close() {
    List<ChannelFuture> closing = new ArrayList<>();
    channels.forEach(channel -> closing.add(channel.close()));
    for (ChannelFuture closed : closing) {
      // An I/O thread cannot wait for its own loop; the close is queued there and done next.
      if (!closed.channel().eventLoop().inEventLoop()) {
        closed.syncUninterruptibly();
      }
    }
  }
}
