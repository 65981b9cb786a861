package io.charlatan.imposters.internal.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops shared by every imposter and API server of the JVM, created on first use: on
 * Linux x86-64, Netty's native epoll transport (fewer system calls and copies per request than the
 * JDK's selector); elsewhere, or with {@code -Dcharlatan.transport=nio}, the JDK's NIO.
 */
public final class EventLoops {
  /**
   * The system property that chooses the transport: {@code epoll} (default where it runs) or {@code
   * nio}.
   */
  static final String TRANSPORT_PROPERTY = "charlatan.transport";

  private static EventLoopGroup boss;
  private static EventLoopGroup workers;
  private static Boolean epoll;

  private EventLoops() {}

  /**
   * Whether the sockets use epoll: unless {@code -Dcharlatan.transport=nio}, when Netty's native
   * library loads on this machine.
   *
   * @throws IllegalArgumentException if the property is neither {@code epoll} nor {@code nio}
   */
  public static synchronized boolean epoll() {
    if (epoll == null) {
      epoll = chooseEpoll(System.getProperty(TRANSPORT_PROPERTY, "epoll"), Epoll::isAvailable);
    }
    return epoll;
  }

  /** Epoll's native library is loaded only when asked for: {@code nio} leaves it out. */
  static boolean chooseEpoll(String transport, java.util.function.BooleanSupplier available) {
    return switch (transport.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "epoll" -> available.getAsBoolean();
      case "nio" -> false;
      default ->
          throw new IllegalArgumentException(
              "-D"
                  + TRANSPORT_PROPERTY
                  + "="
                  + transport
                  + ": give epoll (the default, where Linux's native transport loads) or nio");
    };
  }

  /** The loop that accepts connections. */
  public static synchronized EventLoopGroup boss() {
    if (boss == null) {
      boss = new MultiThreadIoEventLoopGroup(1, daemon("charlatan-accept"), handlers());
    }
    return boss;
  }

  /** The worker loops, one per core. */
  public static synchronized EventLoopGroup workers() {
    if (workers == null) {
      workers =
          new MultiThreadIoEventLoopGroup(
              Runtime.getRuntime().availableProcessors(), daemon("charlatan-io"), handlers());
    }
    return workers;
  }

  /** The channel class of a listening socket on these loops. */
  public static Class<? extends ServerChannel> serverChannel() {
    return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The channel class of an outgoing connection on these loops. */
  public static Class<? extends SocketChannel> clientChannel() {
    return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  private static IoHandlerFactory handlers() {
    return epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /**
   * Daemon threads of Netty's own kind: on a plain {@code Thread}, every buffer, promise and
   * recycled object Netty takes from its thread-local pools goes through the JDK's {@code
   * ThreadLocal} (a hash lookup, 8 % of an I/O thread's time under load) instead of a field.
   */
  static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new FastThreadLocalThread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
