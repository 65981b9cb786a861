package io.charlatan.imposters;

import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.server.ApiRoutes;
import io.charlatan.imposters.internal.server.ApiServer;
import io.charlatan.imposters.internal.server.ServerLog;
import io.charlatan.imposters.internal.server.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Our server as {@code mb --allowInjection --loglevel debug} runs it, in the test JVM: its REST API
 * on a free port of 127.0.0.1, its log kept in memory.
 */
final class InjectingServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final Imposters imposters;
  private final ApiServer server;

  InjectingServer() {
    imposters = new Imposters(HOST, true, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT);
    ApiRoutes routes =
        new ApiRoutes(
            imposters,
            new ServerOptions(0, HOST, null, true, Imposters.DEFAULT_RECORDED_REQUEST_LIMIT),
            new ServerLog(new PrintStream(log, true, StandardCharsets.UTF_8), null, "debug"));
    server = ApiServer.start(routes, HOST, 0);
    routes.listeningOn(server.port());
  }

  URI url() {
    return URI.create("http://" + HOST + ":" + server.port());
  }

  /** What the server logged so far. */
  String log() {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    imposters.deleteAll();
    server.close();
  }
}
