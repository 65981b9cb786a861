package io.charlatan.imposters.internal.ui;

import io.charlatan.imposters.internal.engine.HttpDate;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells open pages that imposters or their requests changed, by server-sent events: one stream per
 * page, and at most one {@code change} event per stream every 250 ms however many requests arrive,
 * so a busy imposter does not become a storm of events or of page reloads. The imposters' hot path
 * only sets a flag ({@link #changed()}); the timer that sends runs only while a page is open, and a
 * stream is forgotten as soon as its connection closes.
 */
public final class LiveUpdates {
  /** The media type of the stream; an API answer of this type is turned into a stream. */
  public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

  /** Least time between two change events, in milliseconds. */
  static final long PERIOD_MILLIS = 250;

  /** A comment this often keeps proxies from closing an idle stream and finds dead peers. */
  private static final long KEEP_ALIVE_TICKS = 15_000 / PERIOD_MILLIS;

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "charlatan-ui-events");
            thread.setDaemon(true);
            return thread;
          });

  private final Set<Channel> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean dirty;
  private long sequence;
  private long idleTicks;
  private ScheduledFuture<?> timer;

  /** Notes a change: cheap, called for every request an imposter answers. */
  public void changed() {
    if (!dirty) {
      dirty = true;
    }
  }

  /** How many pages are listening now. */
  public int openStreams() {
    return streams.size();
  }

  /**
   * Turns the connection into an event stream: writes the response head and an opening comment,
   * then sends change events until the connection closes.
   *
   * @param headers extra headers (CORS), in order
   */
  public void open(Channel channel, HttpVersion version, List<Map.Entry<String, String>> headers) {
    HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
    headers.forEach(header -> head.headers().add(header.getKey(), header.getValue()));
    head.headers()
        .set("Content-Type", CONTENT_TYPE)
        .set("Cache-Control", "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set("Date", HttpDate.now())
        .set("Transfer-Encoding", "chunked");
    var unusedHead = channel.write(head);
    // retry: how long a browser's EventSource waits before it reconnects.
    write(channel, "retry: 2000\n: open\n\n");
    streams.add(channel);
    var unused = channel.closeFuture().addListener(closed -> forget(channel));
    startTimer();
  }

  private synchronized void startTimer() {
    if (timer == null && !streams.isEmpty()) {
      timer =
          TIMER.scheduleWithFixedDelay(
              this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void forget(Channel channel) {
    streams.remove(channel);
    if (streams.isEmpty() && timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Sends a change event if something changed since the last, else now and then a comment. */
  private void tick() {
    String event;
    if (dirty) {
      dirty = false;
      idleTicks = 0;
      sequence++;
      event = "event: change\ndata: " + sequence + "\n\n";
    } else if (++idleTicks >= KEEP_ALIVE_TICKS) {
      idleTicks = 0;
      event = ": keep-alive\n\n";
    } else {
      return;
    }
    for (Channel channel : streams) {
      if (!channel.isActive()) {
        forget(channel);
      } else if (channel.isWritable()) {
        // A page that does not read is skipped rather than buffered for: the next event will do.
        write(channel, event);
      }
    }
  }

  private static void write(Channel channel, String text) {
    var unused =
        channel.writeAndFlush(
            new DefaultHttpContent(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))));
  }
}
