package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.smtp.SmtpListener;
import io.charlatan.imposters.internal.smtp.SmtpSession;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Serves an smtp imposter's connections: each message received is counted, recorded when the
 * imposter records, and run past its stubs, as Mountebank does (whose smtp imposters accept every
 * message whatever a stub answers).
 */
final class SmtpRecorder implements SmtpListener {
  /** Mountebank's SMTP server closes a connection idle this long, saying so. */
  static final long IDLE_SECONDS = 60;

  private final HttpImposter imposter;
  private final boolean allowed;

  private SmtpRecorder(HttpImposter imposter, boolean allowed) {
    this.imposter = imposter;
    this.allowed = allowed;
  }

  static void initChannel(HttpImposter imposter, SocketChannel channel) {
    InetSocketAddress client = channel.remoteAddress();
    // Node's smtp-server shows IPv4 clients without the ::ffff: prefix of a dual-stack socket.
    String ip = Addresses.asNodeShowsIt(client.getAddress(), false);
    channel
        .pipeline()
        .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
        .addLast(
            new SmtpSession(
                ip,
                ip + ":" + client.getPort(),
                new SmtpRecorder(imposter, imposter.allows(client.getAddress())),
                Tls.serverContext(Js.object())));
  }

  @Override
  public void received(String client, ObjectNode request) {
    imposter.logSmtp(
        "info",
        client
            + " => Envelope from: "
            + (request.has("from") ? request.get("from").toString() : "undefined")
            + " to: "
            + request.get("to"));
    if (!allowed) {
      // As Mountebank (which logs the message first): a client it does not allow talks SMTP as any
      // other, and its messages are
      // accepted, but neither counted nor recorded.
      imposter.logSmtp(
          "warn",
          "Blocking incoming connection from "
              + Js.string(request.get("ip"))
              + ". Turn off --localOnly or add to --ipWhitelist to allow");
      return;
    }
    imposter.select(request, new Predicates.Request(request));
  }
}
