package io.charlatan.imposters.internal.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The open connections of one imposter, closed when it stops (as Mountebank drops them). Each I/O
 * thread keeps a list of its own connections, linked through them and touched only on that thread:
 * a connection costs no lock, no hashing and no write another thread reads. Netty's {@code
 * ChannelGroup} put each connection in a map shared by all threads, whose rarer branches (a
 * collision, a resize), first taken under a real load, made the JIT throw its compiled code away.
 */
final class Connections {
  private final EventLoop[] loops;
  private final Link[] heads;

  /** Connections on the given threads: every connection added must be served by one of them. */
  Connections(Iterable<EventExecutor> threads) {
    List<EventLoop> all = new ArrayList<>();
    threads.forEach(thread -> all.add((EventLoop) thread));
    loops = all.toArray(new EventLoop[0]);
    heads = new Link[loops.length];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = new Link(null);
      heads[i].next = heads[i];
      heads[i].previous = heads[i];
    }
  }

  /**
   * Adds a connection until it closes. Called on the connection's own thread.
   *
   * @throws IllegalArgumentException if the connection is served by none of the threads
   */
  void add(Channel channel) {
    Link head = heads[indexOf(channel.eventLoop())];
    Link link = new Link(channel);
    link.next = head.next;
    link.previous = head;
    head.next.previous = link;
    head.next = link;
    channel.closeFuture().addListener(link);
  }

  /** Closes every connection open now, on its own thread, and waits until all are closed. */
  void closeAll() {
    List<Future<List<ChannelFuture>>> closing = new ArrayList<>();
    for (int i = 0; i < loops.length; i++) {
      Link head = heads[i];
      closing.add(loops[i].submit(() -> closeOn(head)));
    }
    for (Future<List<ChannelFuture>> each : closing) {
      for (ChannelFuture closed : each.syncUninterruptibly().getNow()) {
        closed.syncUninterruptibly();
      }
    }
  }

  private static List<ChannelFuture> closeOn(Link head) {
    List<ChannelFuture> closed = new ArrayList<>();
    // Closing unlinks each (its listener runs now, on this thread): take them all first.
    List<Channel> open = new ArrayList<>();
    for (Link link = head.next; link != head; link = link.next) {
      open.add(link.channel);
    }
    open.forEach(channel -> closed.add(channel.close()));
    return closed;
  }

  private int indexOf(EventLoop loop) {
    for (int i = 0; i < loops.length; i++) {
      if (loops[i] == loop) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "a connection on " + loop + ", which is none of the imposter's I/O threads");
  }

  /** A connection in its thread's list; unlinks itself when the connection closes. */
  private static final class Link implements ChannelFutureListener {
    private final Channel channel;
    private Link previous;
    private Link next;

    Link(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void operationComplete(ChannelFuture future) {
      previous.next = next;
      next.previous = previous;
    }
  }
}
