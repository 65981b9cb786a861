package io.charlatan.das.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DAS's HTTP/1.1 server (Netty, NIO). One event-loop thread reads and writes every connection and
 * never waits: a request is handed to the workers (DAS's pool of {@code DAS_THREADS}) only once its
 * head and body have arrived, so clients that send slowly hold a connection, never a worker. Reads
 * have deadlines, the head and body have size limits, and whatever it refuses is answered with
 * DAS's JSON error:
 *
 * <ul>
 *   <li>a head not complete within {@link Limits#headerTimeout()} of the connection being ready for
 *       a request (opened, or the previous answer written): 408, closed; a connection on which no
 *       byte of a request came is closed without an answer (an idle kept-alive one);
 *   <li>a body not complete within {@link Limits#bodyTimeout()} of its head: 408, closed;
 *   <li>a request line over {@value #MAX_LINE} bytes, or anything that is not HTTP/1.1 (a bad
 *       request line, a bad header, a bad chunk size, a negative {@code Content-Length}, {@code
 *       Content-Length} with {@code Transfer-Encoding}): 400, closed;
 *   <li>headers over {@value #MAX_HEADERS} bytes in all: 431, closed;
 *   <li>a body over {@link Limits#maxBody()}: 413 (at once when {@code Content-Length} says so),
 *       closed;
 *   <li>a target that is not a valid URI (malformed percent-encoding, {@code %zz}): 400, the
 *       connection kept;
 *   <li>no worker free and {@value #QUEUE} requests waiting already: 503, closed.
 * </ul>
 *
 * <pre>
 * DasServer server = DasServer.of(handler, limits, workers);
 * int port = server.listen(new InetSocketAddress(8080));
 * ...
 * server.stopListening(); // then let the exchanges in flight finish
 * server.close();
 * </pre>
 */
public final class DasServer implements AutoCloseable {
  /** The longest request line taken, in bytes. */
  public static final int MAX_LINE = 8192;

  /** The most bytes taken for all of a request's header lines together. */
  public static final int MAX_HEADERS = 16384;

  /** How many requests may wait for a worker; DAS's pool is given a queue this long. */
  public static final int QUEUE = 1024;

  /**
   * A server's limits.
   *
   * @param maxBody the largest body taken, in bytes ({@code DAS_MAX_BODY_BYTES})
   * @param headerTimeout how long a request's head may take to arrive ({@code
   *     DAS_HEADER_TIMEOUT_MS})
   * @param bodyTimeout how long a request's body may take to arrive after its head ({@code
   *     DAS_BODY_TIMEOUT_MS})
   */
  public record Limits(int maxBody, Duration headerTimeout, Duration bodyTimeout) {}

  private final EventLoopGroup loops;
  private final ChannelGroup connections;
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private final ServerBootstrap bootstrap;

  private DasServer(EventLoopGroup loops, ChannelGroup connections, ServerBootstrap bootstrap) {
    this.loops = loops;
    this.connections = connections;
    this.bootstrap = bootstrap;
  }

  /**
   * A server of {@code handler}, within {@code limits}, whose requests run on {@code workers}; it
   * listens nowhere yet ({@link #listen}).
   */
  public static DasServer of(DasHandler handler, Limits limits, Executor workers) {
    AtomicInteger count = new AtomicInteger();
    // Not daemon threads: they keep the JVM up between requests, as the JDK server's did; close()
    // ends them.
    ThreadFactory threads = task -> new Thread(task, "das-http-" + count.incrementAndGet());
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
    ChannelGroup connections = new DefaultChannelGroup("das", GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    Connection connection = new Connection(handler, limits, workers);
                    channel
                        .pipeline()
                        .addLast(new Decoder(connection))
                        .addLast(new HttpResponseEncoder())
                        .addLast(connection);
                  }
                });
    return new DasServer(loops, connections, bootstrap);
  }

  /**
   * Starts listening on {@code address} (port 0: a free one).
   *
   * @return the port
   * @throws IOException naming the address when it cannot be bound (taken, say)
   */
  public int listen(InetSocketAddress address) throws IOException {
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException(
          "cannot listen on " + address + ": " + bound.cause().getMessage(), bound.cause());
    }
    listeners.add(bound.channel());
    return ((InetSocketAddress) bound.channel().localAddress()).getPort();
  }

  /** Closes every listener at once; the connections open go on being served. */
  public void stopListening() {
    for (Channel listener : listeners) {
      listener.close().awaitUninterruptibly();
    }
    listeners.clear();
  }

  /**
   * Closes every listener and connection and ends the server's thread; answers being written are
   * written first. Returns once the thread has ended.
   */
  @Override
  public void close() {
    stopListening();
    connections.close().awaitUninterruptibly();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
