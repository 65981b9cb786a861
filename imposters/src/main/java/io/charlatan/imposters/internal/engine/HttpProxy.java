package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * Forwards a request to a proxy target as Mountebank does: same method, the raw URL as received,
 * the original headers (plus {@code injectHeaders}) with Host rewritten to the target, TLS
 * certificates not checked. The answer becomes an {@code is} response: body parsed as JSON when it
 * is JSON, base64 for binary content.
 */
final class HttpProxy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BINARY_ENCODINGS = List.of("gzip", "br", "compress", "deflate");
  private static final List<String> BINARY_TYPES =
      List.of(
          "audio/",
          "application/epub+zip",
          "application/gzip",
          "application/java-archive",
          "application/msword",
          "application/octet-stream",
          "application/pdf",
          "application/rtf",
          "application/vnd.ms-excel",
          "application/vnd.ms-fontobject",
          "application/vnd.ms-powerpoint",
          "application/vnd.visio",
          "application/x-shockwave-flash",
          "application/x-tar",
          "application/zip",
          "font/",
          "image/",
          "model/",
          "video/");
  private static final SslContext INSECURE = insecure();

  private HttpProxy() {}

  /** Checks {@code proxy.to} as Mountebank's dry run does; the message or null if fine. */
  static String problemWith(JsonNode proxy) {
    JsonNode to = proxy.get("to");
    if (to == null || to.isNull()) {
      return "Missing to";
    }
    URI uri;
    try {
      uri = URI.create(Js.string(to));
    } catch (IllegalArgumentException e) {
      return "Invalid URL: " + Js.string(to);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return "Invalid URL: " + Js.string(to);
    }
    String path = uri.getRawPath();
    if (uri.getScheme().startsWith("http")
        && path != null
        && !path.isEmpty()
        && !path.equals("/")) {
      return "proxy.to must not contain a path '" + path + "'";
    }
    return null;
  }

  static CompletableFuture<ObjectNode> forward(JsonNode proxy, JsonNode request, String rawUri) {
    String destination = Js.string(proxy.get("to"));
    URI target = URI.create(destination);
    boolean tls = "https".equals(target.getScheme());
    int port = target.getPort() > 0 ? target.getPort() : (tls ? 443 : 80);
    FullHttpRequest outgoing = outgoing(proxy, request, rawUri, target, port, tls);
    CompletableFuture<ObjectNode> result = new CompletableFuture<>();
    new Bootstrap()
        .group(EventLoops.workers())
        .channel(EventLoops.clientChannel())
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                if (tls) {
                  channel
                      .pipeline()
                      .addLast(INSECURE.newHandler(channel.alloc(), target.getHost(), port));
                }
                channel
                    .pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new Collector(result, destination));
              }
            })
        .connect(target.getHost(), port)
        .addListener(
            connected -> {
              if (connected.isSuccess()) {
                var unused =
                    ((io.netty.channel.ChannelFuture) connected).channel().writeAndFlush(outgoing);
              } else {
                outgoing.release();
                result.completeExceptionally(unreachable(destination, connected.cause()));
              }
            });
    return result;
  }

  private static FullHttpRequest outgoing(
      JsonNode proxy, JsonNode request, String rawUri, URI target, int port, boolean tls) {
    String body = Js.string(request.get("body"));
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    FullHttpRequest outgoing =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.valueOf(Js.string(request.get("method"))),
            rawUri,
            Unpooled.wrappedBuffer(bytes));
    ObjectNode headers = ((ObjectNode) request.get("headers")).deepCopy();
    JsonNode inject = proxy.get("injectHeaders");
    boolean hostInjected = false;
    if (inject != null && inject.isObject()) {
      for (Map.Entry<String, JsonNode> header : inject.properties()) {
        headers.set(header.getKey(), header.getValue());
        hostInjected |= header.getKey().equalsIgnoreCase("host");
      }
    }
    if (!hostInjected) {
      removeIgnoringCase(headers, "host");
      boolean defaultPort = (tls && port == 443) || (!tls && port == 80);
      headers.put("host", target.getHost() + (defaultPort ? "" : ":" + port));
    }
    if (bytes.length > 0 && !has(headers, "Transfer-Encoding") && !has(headers, "Content-Length")) {
      headers.put("Content-Length", Integer.toString(bytes.length));
    }
    for (Map.Entry<String, JsonNode> header : headers.properties()) {
      if (header.getValue().isArray()) {
        header.getValue().forEach(value -> outgoing.headers().add(header.getKey(), value.asText()));
      } else {
        outgoing.headers().add(header.getKey(), Js.string(header.getValue()));
      }
    }
    return outgoing;
  }

  /**
   * Collects the target's answer without re-writing its headers (an aggregator would replace
   * Transfer-Encoding by Content-Length, and Mountebank records the headers as received).
   */
  private static final class Collector extends SimpleChannelInboundHandler<HttpObject> {
    private final CompletableFuture<ObjectNode> result;
    private final String destination;
    private HttpResponse head;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Collector(CompletableFuture<ObjectNode> result, String destination) {
      this.result = result;
      this.destination = destination;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, HttpObject message) {
      if (message instanceof HttpResponse response) {
        head = response;
      }
      if (message instanceof HttpContent content) {
        ByteBuf bytes = content.content();
        if (body.size() + bytes.readableBytes() > HttpImposter.MAX_BODY) {
          result.completeExceptionally(
              MbError.invalidProxy("the answer of " + quoted(destination) + " is too large"));
          var unused = context.close();
          return;
        }
        byte[] chunk = new byte[bytes.readableBytes()];
        bytes.readBytes(chunk);
        body.writeBytes(chunk);
        if (message instanceof LastHttpContent && head != null) {
          result.complete(toIs(head, body.toByteArray()));
          var unused = context.close();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      result.completeExceptionally(unreachable(destination, cause));
      var unused = context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      result.completeExceptionally(
          MbError.invalidProxy("Unable to connect to " + quoted(destination)));
    }
  }

  private static ObjectNode toIs(HttpResponse response, byte[] bytes) {
    ObjectNode is = Js.object();
    is.put("statusCode", response.status().code());
    ImposterHandler.putHeaders(is.putObject("headers"), response.headers());
    String encoding = String.valueOf(response.headers().get("content-encoding"));
    String type = String.valueOf(response.headers().get("content-type"));
    boolean binary =
        BINARY_ENCODINGS.stream().anyMatch(encoding::contains)
            || BINARY_TYPES.stream().anyMatch(type::contains);
    String text =
        binary
            ? Base64.getEncoder().encodeToString(bytes)
            : new String(bytes, StandardCharsets.UTF_8);
    is.set("body", maybeJson(text));
    is.put("_mode", binary ? "binary" : "text");
    return is;
  }

  private static JsonNode maybeJson(String text) {
    try {
      JsonNode parsed = JSON.readTree(text);
      return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
    } catch (JsonProcessingException notJson) {
      return TextNode.valueOf(text);
    }
  }

  private static MbError unreachable(String destination, Throwable cause) {
    if (cause instanceof UnknownHostException) {
      return MbError.invalidProxy("Cannot resolve " + quoted(destination));
    }
    return MbError.invalidProxy("Unable to connect to " + quoted(destination));
  }

  private static String quoted(String text) {
    return TextNode.valueOf(text).toString();
  }

  private static boolean has(ObjectNode headers, String name) {
    for (String key : Js.keys(headers)) {
      if (key.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static void removeIgnoringCase(ObjectNode headers, String name) {
    for (String key : Js.keys(headers)) {
      if (key.equalsIgnoreCase(name)) {
        headers.remove(key);
      }
    }
  }

  private static SslContext insecure() {
    try {
      return SslContextBuilder.forClient()
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for proxies", e);
    }
  }
}
