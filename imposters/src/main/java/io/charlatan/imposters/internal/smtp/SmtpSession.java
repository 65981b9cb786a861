package io.charlatan.imposters.internal.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One SMTP connection to an smtp imposter, answered as Mountebank 2.9.1's SMTP server (Node's
 * {@code smtp-server}, authentication optional, no size limit) answers it: the greeting 100 ms
 * after the connection, {@code EHLO}/{@code HELO}, {@code MAIL FROM}, {@code RCPT TO}, {@code
 * DATA}, {@code RSET}, {@code NOOP}, {@code HELP}, {@code VRFY}, {@code QUIT}, {@code STARTTLS}
 * (with the imposters' default certificate), {@code AUTH} (which always fails, as Mountebank's),
 * and the same replies to commands that are unknown, malformed or out of order.
 */
public final class SmtpSession extends ByteToMessageDecoder {
  /** How long after connecting the greeting is sent; a client that talks first is refused. */
  static final long GREETING_DELAY_MILLIS = 100;

  /** Largest message kept, in bytes: beyond it the message is refused. */
  static final int MAX_MESSAGE = 64 * 1024 * 1024;

  private static final int MAX_LINE = 1024 * 1024;
  private static final Set<String> COMMANDS =
      Set.of(
          "EHLO",
          "HELO",
          "QUIT",
          "NOOP",
          "RSET",
          "HELP",
          "VRFY",
          "XCLIENT",
          "XFORWARD",
          "STARTTLS",
          "AUTH",
          "MAIL",
          "RCPT",
          "DATA",
          "WIZ",
          "SHELL",
          "KILL");
  private static final Pattern HTTP_REQUEST =
      Pattern.compile("(?i)^(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT) /.* HTTP/\\d\\.\\d$");
  private static final String NAME = hostname();

  private final String ip;
  private final String client;
  private final SmtpListener listener;
  private final SslContext startTls;
  private boolean ready;
  private boolean closing;
  private boolean secure;
  private boolean wizard;
  private String helloName;
  private String mailFrom;
  private final List<String> rcptTo = new ArrayList<>();
  private int unrecognized;
  private int unauthenticated;
  private Consumer<String> nextLine;
  private ByteArrayOutputStream data;
  private boolean dataLineStart;
  private boolean dataAfterCrLf;
  private byte previous;

  /**
   * A session for a connection.
   *
   * @param ip the client's address as Node shows it (no {@code ::ffff:} prefix)
   * @param client the client's address and port, for logs
   * @param listener where messages go
   * @param startTls the TLS set-up {@code STARTTLS} upgrades to
   */
  public SmtpSession(String ip, String client, SmtpListener listener, SslContext startTls) {
    this.ip = ip;
    this.client = client;
    this.listener = listener;
    this.startTls = startTls;
  }

  /** The name the server greets with: the machine's host name, as Node's {@code os.hostname()}. */
  static String hostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // Not Linux: ask the JDK.
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext context) throws Exception {
    var unused =
        context
            .executor()
            .schedule(
                () -> {
                  if (!closing) {
                    ready = true;
                    send(context, "220 " + NAME + " ESMTP");
                  }
                },
                GREETING_DELAY_MILLIS,
                TimeUnit.MILLISECONDS);
    super.channelActive(context);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      reply(context, 421, "Timeout - closing connection");
      return;
    }
    super.userEventTriggered(context, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    // A reset or a failed TLS handshake: Mountebank drops the connection too.
    var unused = context.close();
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    while (in.isReadable() && !closing) {
      if (data != null) {
        if (!readData(context, in)) {
          return;
        }
        continue;
      }
      int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (end < 0) {
        if (in.readableBytes() > MAX_LINE) {
          reply(context, 421, "Error: line too long");
        }
        return;
      }
      int length = end - in.readerIndex();
      if (length > 0 && in.getByte(end - 1) == '\r') {
        length--;
      }
      String line = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
      in.readerIndex(end + 1);
      if (command(context, line)) {
        // STARTTLS: what follows is the TLS handshake, read by the handler just added.
        in.skipBytes(in.readableBytes());
        return;
      }
    }
    if (closing) {
      in.skipBytes(in.readableBytes());
    }
  }

  /** Runs one command line; true when the connection switched to TLS. */
  private boolean command(ChannelHandlerContext context, String line) {
    String name = line.split(" ", -1)[0].toUpperCase(Locale.ROOT);
    if (!ready) {
      reply(context, 421, NAME + " You talk too soon");
      return false;
    }
    if (HTTP_REQUEST.matcher(line).matches()) {
      reply(context, 421, "HTTP requests not allowed");
      return false;
    }
    if (nextLine != null) {
      Consumer<String> handler = nextLine;
      nextLine = null;
      handler.accept(line);
      return false;
    }
    if (!COMMANDS.contains(name)) {
      unrecognized++;
      if (unrecognized >= 10) {
        reply(context, 421, "Error: too many unrecognized commands");
      } else {
        reply(context, 500, "Error: command not recognized");
      }
      return false;
    }
    // Authentication is optional and never succeeds, so every command but AUTH counts here.
    if (!name.equals("AUTH") && ++unauthenticated >= 1000) {
      reply(context, 421, "Error: too many unauthenticated commands");
      return false;
    }
    if (helloName == null && List.of("MAIL", "RCPT", "DATA", "AUTH").contains(name)) {
      reply(context, 503, "Error: send HELO/EHLO first");
      return false;
    }
    String[] words = line.trim().split("\\s+", -1);
    switch (name) {
      case "EHLO" -> {
        if (words.length != 2) {
          reply(context, 501, "Error: syntax: EHLO hostname");
          return false;
        }
        helloName = words[1].toLowerCase(Locale.ROOT);
        reset();
        List<String> lines = new ArrayList<>();
        lines.add(NAME + " Nice to meet you, [" + ip + "]");
        lines.addAll(List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "AUTH LOGIN PLAIN"));
        if (!secure) {
          lines.add("STARTTLS");
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
          reply.append("250").append(i < lines.size() - 1 ? "-" : " ").append(lines.get(i));
          if (i < lines.size() - 1) {
            reply.append("\r\n");
          }
        }
        send(context, reply.toString());
      }
      case "HELO" -> {
        if (words.length != 2) {
          reply(context, 501, "Error: Syntax: HELO hostname");
          return false;
        }
        helloName = words[1].toLowerCase(Locale.ROOT);
        reset();
        reply(context, 250, NAME + " Nice to meet you, [" + ip + "]");
      }
      case "QUIT" -> {
        send(context, "221 Bye");
        close(context);
      }
      case "NOOP" -> reply(context, 250, "OK");
      case "RSET" -> {
        reset();
        reply(context, 250, "Flushed");
      }
      case "HELP" -> reply(context, 214, "See https://tools.ietf.org/html/rfc5321 for details");
      case "VRFY" -> reply(context, 252, "Try to send something. No promises though");
      case "XCLIENT", "XFORWARD" -> reply(context, 550, "Error: Not allowed");
      case "STARTTLS" -> {
        return startTls(context);
      }
      case "AUTH" -> auth(context, words);
      case "MAIL" -> mail(context, line);
      case "RCPT" -> rcpt(context, line);
      case "DATA" -> {
        if (rcptTo.isEmpty()) {
          reply(context, 503, "Error: need RCPT command");
          return false;
        }
        data = new ByteArrayOutputStream();
        dataLineStart = true;
        dataAfterCrLf = true;
        reply(context, 354, "End data with <CR><LF>.<CR><LF>");
      }
      case "WIZ" -> {
        if (words.length < 2) {
          reply(context, 500, "You are no wizard!");
        } else {
          wizard = true;
          reply(context, 200, "Please pass, oh mighty wizard");
        }
      }
      case "SHELL" ->
          reply(
              context,
              500,
              wizard
                  ? "Error: Invoking shell is not allowed. This incident will be reported."
                  : "Mere mortals must not mutter that mantra");
      default -> reply(context, 500, "Can not kill Mom");
    }
    return false;
  }

  private boolean startTls(ChannelHandlerContext context) {
    if (secure) {
      reply(context, 503, "Error: TLS already active");
      return false;
    }
    // The handler lets this reply out in clear text, then encrypts from the handshake on.
    SslHandler tls = new SslHandler(startTls.newEngine(context.alloc()), true);
    context.pipeline().addFirst("tls", tls);
    secure = true;
    reply(context, 220, "Ready to start TLS");
    return true;
  }

  private void auth(ChannelHandlerContext context, String[] words) {
    String method = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
    int arguments = Math.max(0, words.length - 2);
    if (!secure) {
      reply(context, 538, "Error: Must issue a STARTTLS command first");
    } else if (method.equals("PLAIN")) {
      if (arguments > 1) {
        reply(context, 501, "Error: syntax: AUTH PLAIN token");
      } else if (arguments == 0) {
        nextLine = token -> plain(context, token, true);
        send(context, "334 ");
      } else {
        plain(context, words[2], false);
      }
    } else if (method.equals("LOGIN")) {
      if (arguments > 1) {
        reply(context, 501, "Error: syntax: AUTH LOGIN");
      } else if (arguments == 0) {
        nextLine = user -> loginUser(context, user);
        reply(context, 334, "VXNlcm5hbWU6");
      } else {
        loginUser(context, words[2]);
      }
    } else {
      reply(context, 504, "Error: Unrecognized authentication type");
    }
  }

  private void plain(ChannelHandlerContext context, String token, boolean canAbort) {
    String trimmed = token.trim();
    if (canAbort && trimmed.equals("*")) {
      reply(context, 501, "Authentication aborted");
      return;
    }
    String decoded =
        new String(
            HeaderValues.base64(trimmed.getBytes(StandardCharsets.US_ASCII)),
            StandardCharsets.UTF_8);
    if (decoded.split("\0", -1).length != 3) {
      reply(context, 500, "Error: invalid userdata");
      return;
    }
    reply(context, 535, "Authentication not implemented");
  }

  private void loginUser(ChannelHandlerContext context, String user) {
    if (user.trim().equals("*")) {
      reply(context, 501, "Authentication aborted");
      return;
    }
    nextLine =
        password -> {
          if (password.trim().equals("*")) {
            reply(context, 501, "Authentication aborted");
          } else {
            reply(context, 535, "Authentication not implemented");
          }
        };
    reply(context, 334, "UGFzc3dvcmQ6");
  }

  private void mail(ChannelHandlerContext context, String line) {
    String[] parsed = address("MAIL FROM", line);
    if (parsed == null) {
      reply(context, 501, "Error: Bad sender address syntax");
    } else if (mailFrom != null) {
      reply(context, 503, "Error: nested MAIL command");
    } else {
      mailFrom = parsed[0];
      reply(context, 250, "Accepted");
    }
  }

  private void rcpt(ChannelHandlerContext context, String line) {
    String[] parsed = address("RCPT TO", line);
    if (parsed == null || parsed[0].isEmpty()) {
      reply(context, 501, "Error: Bad recipient address syntax");
      return;
    }
    if (mailFrom == null) {
      reply(context, 503, "Error: need MAIL command");
      return;
    }
    String address = parsed[0];
    boolean replaced = false;
    for (int i = 0; i < rcptTo.size(); i++) {
      if (rcptTo.get(i).equalsIgnoreCase(address)) {
        rcptTo.set(i, address);
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      rcptTo.add(address);
    }
    reply(context, 250, "Accepted");
  }

  /**
   * The address of {@code MAIL FROM:<a@b> ARGS} or {@code RCPT TO:<a@b>}: null unless it is in
   * angle brackets and, when not empty, has exactly one {@code @} with text on both sides. The
   * domain is shown in Unicode, as Node's punycode does.
   */
  static String[] address(String expected, String line) {
    String[] parts = line.split(":", -1);
    if (!parts[0].trim().toUpperCase(Locale.ROOT).equals(expected)) {
      return null;
    }
    String rest = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length)).trim();
    String address = rest.split("\\s+", -1)[0];
    if (!address.matches("^<[^<>]*>$")) {
      return null;
    }
    address = address.substring(1, address.length() - 1);
    if (!address.isEmpty()) {
      String[] halves = address.split("@", -1);
      if (halves.length != 2 || halves[0].isEmpty() || halves[1].isEmpty()) {
        return null;
      }
      String domain;
      try {
        domain = IDN.toUnicode(halves[1], IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        domain = halves[1];
      }
      address = halves[0] + "@" + domain;
    }
    return new String[] {address};
  }

  /**
   * Reads message data up to the line holding a single dot, undoing dot-stuffing: false when more
   * bytes are needed.
   */
  private boolean readData(ChannelHandlerContext context, ByteBuf in) {
    while (in.isReadable()) {
      int at = in.readerIndex();
      byte b = in.getByte(at);
      if (dataLineStart && b == '.') {
        if (in.readableBytes() < 2) {
          return false;
        }
        byte next = in.getByte(at + 1);
        if (next == '.') {
          in.skipBytes(1);
          dataLineStart = false;
          continue;
        }
        if (next == '\r' && dataAfterCrLf) {
          if (in.readableBytes() < 3) {
            return false;
          }
          if (in.getByte(at + 2) == '\n') {
            in.skipBytes(3);
            endData(context);
            return true;
          }
        }
      }
      int end = in.indexOf(at, in.writerIndex(), (byte) '\n');
      int stop = end < 0 ? in.writerIndex() : end + 1;
      if (data.size() + (stop - at) > MAX_MESSAGE) {
        data = null;
        reply(context, 552, "Error: message exceeds fixed maximum message size " + MAX_MESSAGE);
        close(context);
        return false;
      }
      byte before = stop - at >= 2 ? in.getByte(stop - 2) : previous;
      byte[] chunk = new byte[stop - at];
      in.readBytes(chunk);
      data.write(chunk, 0, chunk.length);
      previous = in.getByte(stop - 1);
      dataLineStart = end >= 0;
      dataAfterCrLf = end >= 0 && before == '\r';
    }
    return false;
  }

  private void endData(ChannelHandlerContext context) {
    byte[] message = data.toByteArray();
    data = null;
    String from = mailFrom;
    List<String> to = List.copyOf(rcptTo);
    reset();
    unrecognized = 0;
    listener.received(client, MailRequest.of(ip, from, to, message));
    reply(context, 250, "OK: message queued");
  }

  private void reset() {
    mailFrom = null;
    rcptTo.clear();
  }

  private void reply(ChannelHandlerContext context, int code, String text) {
    send(context, code + " " + text);
    if (code == 421) {
      close(context);
    }
  }

  private void send(ChannelHandlerContext context, String line) {
    if (!closing && context.channel().isActive()) {
      var unused =
          context.writeAndFlush(
              Unpooled.wrappedBuffer((line + "\r\n").getBytes(StandardCharsets.UTF_8)));
    }
  }

  private void close(ChannelHandlerContext context) {
    closing = true;
    var unused =
        context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
