package io.charlatan.imposters.internal.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The event loops shared by every imposter and API server of the JVM, created on first use. */
public final class EventLoops {
  private static EventLoopGroup boss;
  private static EventLoopGroup workers;

  private EventLoops() {}

  /** The loop that accepts connections. */
  public static synchronized EventLoopGroup boss() {
    if (boss == null) {
      boss =
          new MultiThreadIoEventLoopGroup(1, daemon("charlatan-accept"), NioIoHandler.newFactory());
    }
    return boss;
  }

  /** The worker loops, one per core. */
  public static synchronized EventLoopGroup workers() {
    if (workers == null) {
      workers =
          new MultiThreadIoEventLoopGroup(
              Runtime.getRuntime().availableProcessors(),
              daemon("charlatan-io"),
              NioIoHandler.newFactory());
    }
    return workers;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
