package io.charlatan.contract;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An {@link HttpExchange} held in memory: the request is given, the response is captured. */
final class InMemoryExchange extends HttpExchange {
  private static final InetSocketAddress LOCAL =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
  private static final InetSocketAddress REMOTE =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

  private final String method;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private InputStream in;
  private OutputStream out = responseBody;
  private int responseCode = -1;

  InMemoryExchange(ContractRequest request) {
    this.method = request.method();
    this.uri = URI.create(request.pathAndQuery());
    request.headers().forEach(requestHeaders::put);
    byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
    if (body.length > 0 && !requestHeaders.containsKey("Content-Length")) {
      requestHeaders.set("Content-Length", Integer.toString(body.length));
    }
    requestHeaders.putIfAbsent("Host", List.of("127.0.0.1"));
    this.in = new ByteArrayInputStream(body);
  }

  byte[] responseBytes() {
    return responseBody.toByteArray();
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return new RootContext();
  }

  @Override
  public void close() {
    try {
      in.close();
      out.close();
    } catch (IOException e) {
      throw new IllegalStateException("closing in-memory streams cannot fail", e);
    }
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public OutputStream getResponseBody() {
    return out;
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (responseCode >= 0) {
      throw new IOException("headers already sent");
    }
    responseCode = code;
    // As the JDK server: -1 means no body; otherwise a fixed length, or 0 for chunked.
    if (length > 0) {
      responseHeaders.set("Content-length", Long.toString(length));
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return REMOTE;
  }

  @Override
  public int getResponseCode() {
    return responseCode;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return LOCAL;
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      in = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /** The context a handler sees: the root path, no server. */
  private static final class RootContext extends HttpContext {
    private final Map<String, Object> attributes = new HashMap<>();
    private final List<Filter> filters = new ArrayList<>();

    @Override
    public HttpHandler getHandler() {
      return null;
    }

    @Override
    public void setHandler(HttpHandler handler) {
      throw new UnsupportedOperationException("an in-memory exchange has no server");
    }

    @Override
    public String getPath() {
      return "/";
    }

    @Override
    public HttpServer getServer() {
      return null;
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public List<Filter> getFilters() {
      return filters;
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
      return null;
    }

    @Override
    public Authenticator getAuthenticator() {
      return null;
    }
  }
}
