package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running imposter: a listening socket, its stubs, and what it recorded. Thread-safe; the stubs
 * are replaced as a whole (copy on write), so matching never blocks a change.
 *
 * <p>It hosts http and https imposters, and tcp and smtp ones too: stubs, recording, proxy
 * recording and the REST API's view are the same for every protocol, only the socket's pipeline
 * differs ({@link TcpHandler} and {@link TcpResponses} for tcp, {@link SmtpRecorder} for smtp). The
 * name stays for now because the REST API and the embedded server name it in many places.
 */
public final class HttpImposter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpImposter.class);

  private static final java.util.concurrent.ExecutorService JAVA_THREADS =
      java.util.concurrent.Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "charlatan-java-stub");
            thread.setDaemon(true);
            return thread;
          });

  /** Largest request body accepted, in bytes. */
  static final int MAX_BODY = 32 * 1024 * 1024;

  private final ObjectNode header;
  private final boolean recordRequests;
  private final JsonNode defaultResponse;
  private final boolean allowCors;
  private final boolean tcp;
  private final boolean smtp;
  private final boolean binary;
  private final RecordedRequests recorded;
  private final AtomicInteger numberOfRequests = new AtomicInteger();
  private final Object stubsLock = new Object();
  private volatile List<Stub> stubs;
  private Listeners listeners;
  private final Connections connections = new Connections(EventLoops.workers());
  private int port;
  private ImposterEvents events = ImposterEvents.NONE;
  private Runnable externalStop;
  private ObjectNode metadata;
  private final CallbackResponses callbacks = new CallbackResponses(this);
  private Switches switches = Switches.DEFAULT;
  private boolean dualStack;
  // Its JavaScript context is made at first use: only imposters with injection have one.
  private final io.charlatan.imposters.internal.inject.Injection injection =
      new io.charlatan.imposters.internal.inject.Injection(
          (level, message) -> {
            if ("error".equals(level) || "warn".equals(level)) {
              LOG.warn("{}{}", scope(), message);
            }
            events.log(level, scope(), message);
          });

  private HttpImposter(ObjectNode creation, int requestLimit) {
    this.header = creation.deepCopy();
    this.header.remove("stubs");
    this.recordRequests = Js.truthy(creation.get("recordRequests"));
    this.defaultResponse = creation.get("defaultResponse");
    this.allowCors = Js.truthy(creation.get("allowCORS"));
    this.tcp = "tcp".equals(Js.string(creation.get("protocol")));
    this.smtp = "smtp".equals(Js.string(creation.get("protocol")));
    this.binary = tcp && "binary".equals(Js.string(creation.get("mode")));
    this.recorded = new RecordedRequests(requestLimit);
    List<Stub> initial = new ArrayList<>();
    JsonNode given = creation.get("stubs");
    if (given != null && given.isArray()) {
      given.forEach(stub -> initial.add(new Stub((ObjectNode) stub.deepCopy())));
    }
    this.stubs = List.copyOf(initial);
  }

  /**
   * Starts an imposter from a validated creation request.
   *
   * @param host the address to listen on, or null for all
   * @param requestLimit how many recorded requests to keep
   * @throws MbError {@code resource conflict} if the port is taken
   */
  /** Ports of imposters this JVM stopped, and when: their sockets may still be closing. */
  private static final java.util.Map<Integer, Long> RECENTLY_CLOSED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final long CLOSING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  /**
   * Binds the port. The JDK closes a listening socket registered with a selector only at the
   * selector's next wake-up, so a port an imposter of ours just released can still be taken for a
   * moment (replacing all imposters rebinds at once); such a port is retried for up to a second.
   */
  private static Listeners bind(
      ServerBootstrap bootstrap, InetSocketAddress address, int port, String host) {
    while (true) {
      try {
        return Listeners.bind(bootstrap, address);
      } catch (Exception e) {
        if (!addressInUse(e)) {
          throw MbError.badData(
              "cannot start the imposter on port " + port + ": " + e.getMessage(), null);
        }
        Long closed = RECENTLY_CLOSED.get(port);
        if (closed == null || System.nanoTime() - closed > CLOSING_NANOS) {
          throw MbError.portInUse(port, host == null ? "::" : host);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
    }
  }

  /**
   * Whether a bind failed because the address is taken: the JDK's {@code BindException} under NIO,
   * the native transport's {@code bind(..) failed: Address already in use} under epoll.
   */
  static boolean addressInUse(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if ((cause instanceof BindException && message.contains("in use"))
          || message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Server-wide switches: who may connect, record everything, keep matches. */
  record Switches(Access access, boolean recordAll, boolean debug, boolean dualStackNames) {
    static final Switches DEFAULT = new Switches(Access.ANYONE, false, false, false);
  }

  static HttpImposter start(
      ObjectNode creation, String host, int requestLimit, ImposterEvents events) {
    return start(creation, host, requestLimit, events, Switches.DEFAULT);
  }

  static HttpImposter start(
      ObjectNode creation,
      String host,
      int requestLimit,
      ImposterEvents events,
      Switches switches) {
    HttpImposter imposter = new HttpImposter(creation, requestLimit);
    imposter.events = events;
    imposter.switches = switches;
    io.netty.handler.ssl.SslContext tls =
        "https".equals(Js.string(creation.get("protocol"))) ? Tls.serverContext(creation) : null;
    imposter.dualStack = host == null || switches.dualStackNames();
    JsonNode requested = creation.get("port");
    int port = requested == null || requested.isNull() ? 0 : requested.asInt();
    InetSocketAddress address =
        host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .channel(EventLoops.serverChannel())
            // TCP_NODELAY is already on: Netty sets it on every accepted socket by default (a
            // child option here set it a second time, one more system call per connection).
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    imposter.connections.add(channel);
                    if (imposter.smtp) {
                      SmtpRecorder.initChannel(imposter, channel);
                      return;
                    }
                    if (imposter.tcp) {
                      // Node reads up to 64 KiB at a time; each read is one request.
                      channel
                          .config()
                          .setRecvByteBufAllocator(
                              new io.netty.channel.FixedRecvByteBufAllocator(64 * 1024));
                      channel.pipeline().addLast(new TcpHandler(imposter));
                      return;
                    }
                    if (tls != null) {
                      channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                    }
                    channel
                        .pipeline()
                        .addLast(new PlainRequestDecoder())
                        .addLast(new ImposterResponseEncoder())
                        .addLast(new ImposterHandler(imposter));
                  }
                });
    imposter.listeners = bind(bootstrap, address, port, host);
    imposter.port = imposter.listeners.port();
    imposter.header.put("port", imposter.port);
    LOG.info("{}Open for business...", imposter.scope());
    events.created(imposter.scope());
    events.log("info", imposter.scope(), "Open for business...");
    return imposter;
  }

  /**
   * An imposter whose protocol a process outside the server serves: it listens nowhere itself, and
   * answers the requests the process posts to its callback URL.
   */
  static HttpImposter external(
      ObjectNode creation,
      ExternalProtocols.Started started,
      int requestLimit,
      ImposterEvents events,
      Switches switches) {
    HttpImposter imposter = new HttpImposter(creation, requestLimit);
    imposter.events = events;
    imposter.switches = switches;
    imposter.port = started.port();
    imposter.externalStop = started.stop();
    imposter.metadata = started.metadata();
    imposter.header.put("port", imposter.port);
    LOG.info("{}Open for business...", imposter.scope());
    events.created(imposter.scope());
    events.log("info", imposter.scope(), "Open for business...");
    return imposter;
  }

  /**
   * Answers a request posted to the callback URL ({@code POST /imposters/:id/_requests}): wrapped
   * in {@code response} for an imposter served by an outside process, as is for a built-in one; a
   * proxy response gives the proxy to run and where to post what it answered.
   *
   * @param callbackUrl this imposter's callback URL, for proxies
   */
  public java.util.concurrent.CompletableFuture<JsonNode> answerCallback(
      ObjectNode request, String callbackUrl) {
    return callbacks.respond(request, callbackUrl, externalStop != null);
  }

  /**
   * Records what a proxied system answered, posted by the process to the proxy's callback URL
   * ({@code POST /imposters/:id/_requests/:key}), and gives it back after the behaviors.
   *
   * @throws MbError {@code no such resource} for a key that is not waiting
   */
  public java.util.concurrent.CompletableFuture<JsonNode> answerProxyCallback(
      String key, JsonNode proxyResponse, String callbackUrl) {
    return callbacks.proxied(key, proxyResponse, callbackUrl);
  }

  /** Logs, as Mountebank does ({@code client X=> error}), a request that could not be answered. */
  void logFailure(String requestFrom, Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String details = cause instanceof MbError mb ? mb.element().toString() : String.valueOf(cause);
    events.log("error", scope(), requestFrom + " X=> " + details);
  }

  /** The scope once the port is known (it is logged with every request). */
  private volatile String scope;

  /** Mountebank's log scope of this imposter, e.g. {@code [http:4545 name] }. */
  String scope() {
    String known = scope;
    if (known != null) {
      return known;
    }
    JsonNode name = header.get("name");
    String built =
        "["
            + Js.string(header.get("protocol"))
            + ":"
            + port
            + (Js.truthy(name) ? " " + Js.string(name) : "")
            + "] ";
    if (port != 0) {
      scope = built;
    }
    return built;
  }

  /** Whether a client at this address may connect. */
  boolean allows(java.net.InetAddress address) {
    return switches.access().allows(address);
  }

  /**
   * Whether it listens on all interfaces, where Node shows IPv4 clients as {@code ::ffff:a.b.c.d}.
   */
  boolean dualStack() {
    return dualStack;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /**
   * Handles one request: counts and records it, finds the first matching stub, resolves it. A proxy
   * response completes when the target answers; everything else at once.
   */
  java.util.concurrent.CompletableFuture<ResolvedResponse> respond(
      ObjectNode request, String rawUri) {
    return respond(IncomingRequest.of(request), rawUri);
  }

  /** As {@link #respond(ObjectNode, String)}, making the request's JSON only if needed. */
  java.util.concurrent.CompletableFuture<ResolvedResponse> respond(
      IncomingRequest request, String rawUri) {
    numberOfRequests.incrementAndGet();
    if (events != ImposterEvents.NONE) {
      request.logTo(events, scope());
    }
    ObjectNode recordedCopy = recordIfAsked(request);
    long start = System.nanoTime();
    List<Stub> current = stubs;
    int index = firstMatch(current, request);
    Stub matchedStub = index >= 0 ? current.get(index) : null;
    java.util.concurrent.CompletableFuture<JsonNode> next =
        events.nextResponseLater(
            this, index, recordedCopy, matchedStub == null ? null : matchedStub::nextResponse);
    if (next.isDone()) {
      return answer(request, rawUri, recordedCopy, matchedStub, next.join(), start);
    }
    // Answered later (by a repository out of process): the rest runs off the thread that answered,
    // after the request's buffers are freed, so its JSON is made now.
    IncomingRequest made = IncomingRequest.of(request.json());
    return next.thenComposeAsync(
        config -> answer(made, rawUri, recordedCopy, matchedStub, config, start), JAVA_THREADS);
  }

  /** Answers a request with the response its stub gave (null when no stub matched). */
  private java.util.concurrent.CompletableFuture<ResolvedResponse> answer(
      IncomingRequest incoming,
      String rawUri,
      ObjectNode recordedCopy,
      Stub matchedStub,
      JsonNode given,
      long start) {
    JsonNode responseConfig = matchedStub == null ? null : given;
    events.served(this, recordedCopy);
    long matched = System.nanoTime();
    boolean found = responseConfig != null;
    if (!found) {
      events.log("info", scope(), "no predicate match, using default response");
      ObjectNode empty = Js.object();
      empty.set("is", Js.object());
      responseConfig = empty;
    }
    if (matchedStub != null
        && matchedStub.java() == null
        && !allowCors
        && !switches.debug()
        && matchedStub.isPlain(responseConfig)) {
      // An `is` response without behaviors: what it sends needs nothing of the request once kept.
      JsonNode config = responseConfig;
      ResolvedResponse response =
          matchedStub.resolvedOnce(
              config, () -> Responses.resolve(config, incoming.json(), defaultResponse, false));
      events.answered(scope(), true, matched - start, System.nanoTime() - matched);
      return java.util.concurrent.CompletableFuture.completedFuture(response);
    }
    // Everything else reads the request, some of it after the request's buffers are freed.
    ObjectNode request = incoming.json();
    if (matchedStub != null && matchedStub.java() != null) {
      // User code may block (calling a URL back, say): keep it off the I/O threads.
      JavaStub javaStub = matchedStub.java();
      return java.util.concurrent.CompletableFuture.supplyAsync(
          () -> {
            ObjectNode response;
            try {
              response = javaStub.respond(request);
            } catch (Exception e) {
              throw MbError.javaFailure(
                  "the Java responder of " + javaStub.describe() + " failed: " + e, e);
            }
            events.answered(scope(), true, matched - start, System.nanoTime() - matched);
            return response == null
                ? Responses.resolveIs(Js.object(), request, defaultResponse, allowCors, 0)
                : Responses.resolve(response, request, defaultResponse, allowCors);
          },
          JAVA_THREADS);
    }
    JsonNode proxy = responseConfig.get("proxy");
    if (Js.truthy(proxy)
        && responseConfig.size() > 0
        && Responses.typeOf(responseConfig).equals("proxy")) {
      return proxied(proxy, responseConfig, request, rawUri, matchedStub);
    }
    if (Js.truthy(responseConfig.get("inject")) || Behaviors.scripted(responseConfig)) {
      return scripted(responseConfig, request, matchedStub, start, matched);
    }
    JsonNode config = responseConfig;
    ResolvedResponse response =
        matchedStub != null && !allowCors && Behaviors.of(config).isEmpty()
            ? matchedStub.resolvedOnce(
                config, () -> Responses.resolve(config, request, defaultResponse, false))
            : Responses.resolve(config, request, defaultResponse, allowCors);
    if (switches.debug() && matchedStub != null) {
      matchedStub.recordMatch(request, responseConfig, (System.nanoTime() - start) / 1_000_000);
    }
    events.answered(scope(), found, matched - start, System.nanoTime() - matched);
    return java.util.concurrent.CompletableFuture.completedFuture(response);
  }

  /**
   * Answers with an {@code inject} response, or an {@code is} response with behaviors that run
   * injected code: both may complete later (a callback, a promise, a shell command).
   */
  private java.util.concurrent.CompletableFuture<ResolvedResponse> scripted(
      JsonNode responseConfig, ObjectNode request, Stub stub, long start, long matched) {
    String type = Responses.typeOf(responseConfig);
    java.util.concurrent.CompletableFuture<JsonNode> base;
    if (type.equals("inject")) {
      base = injection.respond(String.valueOf(Js.string(responseConfig.get("inject"))), request);
    } else if (type.equals("is")) {
      base = java.util.concurrent.CompletableFuture.completedFuture(responseConfig.get("is"));
    } else {
      // A fault runs no behaviors.
      return java.util.concurrent.CompletableFuture.completedFuture(
          Responses.resolve(responseConfig, request, defaultResponse, allowCors));
    }
    return base.thenCompose(
            response -> Behaviors.execute(responseConfig, response, request, injection))
        .thenApply(
            transformed -> {
              if (switches.debug() && stub != null) {
                stub.recordMatch(
                    request,
                    transformed.response(),
                    responseConfig,
                    (System.nanoTime() - start) / 1_000_000);
              }
              events.answered(scope(), stub != null, matched - start, System.nanoTime() - matched);
              return Responses.resolveIs(
                  transformed.response(),
                  request,
                  defaultResponse,
                  allowCors,
                  transformed.waitMillis());
            });
  }

  /** The injection of this imposter (its JavaScript context and shell transforms). */
  io.charlatan.imposters.internal.inject.Injection injection() {
    return injection;
  }

  /** The JavaScript of a tcp imposter's {@code endOfRequestResolver}, or null. */
  String endOfRequestResolver() {
    JsonNode resolver = header.get("endOfRequestResolver");
    JsonNode inject = resolver == null ? null : resolver.get("inject");
    return Js.truthy(inject) ? Js.string(inject) : null;
  }

  private java.util.concurrent.CompletableFuture<ResolvedResponse> proxied(
      JsonNode proxy, JsonNode responseConfig, ObjectNode request, String rawUri, Stub stub) {
    long start = System.nanoTime();
    long[] millis = {0};
    return HttpProxy.forward(proxy, request, rawUri)
        .thenCompose(
            is -> {
              // Whole milliseconds, rounded up: a proxied call always takes some time.
              millis[0] = (System.nanoTime() - start + 999_999) / 1_000_000;
              is.put("_proxyResponseTime", millis[0]);
              // Behaviors run on the proxied response before it is saved, as in Mountebank.
              return Behaviors.execute(responseConfig, is, request, injection);
            })
        .thenApply(
            transformed -> {
              JsonNode response = transformed.response();
              if (response.isObject()) {
                saveProxied(proxy, request, (ObjectNode) response, stub, millis[0]);
              }
              return Responses.resolveIs(
                  response, request, defaultResponse, allowCors, transformed.waitMillis());
            });
  }

  /** Records the request if asked to, returning the recorded copy (null when not recorded). */
  private ObjectNode recordIfAsked(IncomingRequest request) {
    return recordRequests || switches.recordAll() ? recordIfAsked(request.json()) : null;
  }

  private ObjectNode recordIfAsked(ObjectNode request) {
    if (recordRequests || switches.recordAll()) {
      ObjectNode copy = request.deepCopy();
      copy.put("timestamp", JsonText.isoTimestamp(System.currentTimeMillis()));
      recorded.add(copy);
      return copy;
    }
    return null;
  }

  /** How stubs added to this imposter are dry-run. */
  Validation.DryRun dryRun() {
    return metadata != null
        ? Validation.DryRun.of(header).servedOutOfProcess()
        : Validation.DryRun.of(header);
  }

  /** Whether this is a tcp imposter in binary mode (its data is base64 in the API). */
  boolean binaryMode() {
    return binary;
  }

  /** The imposter's {@code defaultResponse}, or null. */
  JsonNode defaultResponse() {
    return defaultResponse;
  }

  /** Logs a line about an smtp message at a level ({@code info}, {@code warn}). */
  void logSmtp(String level, String line) {
    events.log(level, scope(), line);
  }

  /** Logs a tcp request as Mountebank does: the client, then the start of its data. */
  void logTcp(String client, String data) {
    if (events != ImposterEvents.NONE) {
      String start = data.length() > 20 ? data.substring(0, 20) + "..." : data;
      events.log("info", scope(), client + " => " + start);
    }
  }

  /** The stub that answers a request (null for none), and the response it gives. */
  record Selection(Stub stub, JsonNode response) {}

  /**
   * Counts and records a tcp request and selects the response of the first stub that matches it
   * ({@code {"is": {}}} when none does).
   */
  Selection select(ObjectNode request, Predicates.Request matching) {
    numberOfRequests.incrementAndGet();
    ObjectNode recordedCopy = recordIfAsked(request);
    long start = System.nanoTime();
    List<Stub> current = stubs;
    int index = firstMatch(current, matching);
    if (index >= 0) {
      Stub stub = current.get(index);
      JsonNode response = events.nextResponse(this, index, recordedCopy, stub::nextResponse);
      events.served(this, recordedCopy);
      if (switches.debug()) {
        stub.recordMatch(request, response, (System.nanoTime() - start) / 1_000_000);
      }
      events.answered(scope(), true, System.nanoTime() - start, 0);
      return new Selection(stub, response);
    }
    events.nextResponse(this, -1, recordedCopy, null);
    events.served(this, recordedCopy);
    events.log("info", scope(), "no predicate match, using default response");
    events.answered(scope(), false, System.nanoTime() - start, 0);
    ObjectNode empty = Js.object();
    empty.set("is", Js.object());
    return new Selection(null, empty);
  }

  /**
   * The index of the first stub that matches an http request, or -1: the request's JSON is made at
   * the first stub with predicates.
   */
  private int firstMatch(List<Stub> stubs, IncomingRequest request) {
    Predicates.Request matching = null;
    for (int i = 0; i < stubs.size(); i++) {
      Stub stub = stubs.get(i);
      if (stub.matchesEverything()) {
        return i;
      }
      if (matching == null) {
        matching = new Predicates.Request(request.json(), false, injection);
      }
      if (stub.matches(matching)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first stub that matches, or -1. */
  private static int firstMatch(List<Stub> stubs, Predicates.Request matching) {
    for (int i = 0; i < stubs.size(); i++) {
      if (stubs.get(i).matches(matching)) {
        return i;
      }
    }
    return -1;
  }

  /** Saves a proxied response as Mountebank's proxyOnce and proxyAlways modes do. */
  void saveProxied(JsonNode proxy, ObjectNode request, ObjectNode is, Stub proxyStub, long millis) {
    String mode = Js.string(proxy.get("mode"));
    if ("proxyTransparent".equals(mode)) {
      return;
    }
    boolean always = "proxyAlways".equals(mode);
    ArrayNode predicates =
        PredicateGenerators.generate(proxy.get("predicateGenerators"), request, injection);
    ObjectNode response = Js.object();
    response.set("is", is);
    if (Js.truthy(proxy.get("addWaitBehavior")) && millis > 0) {
      response.withArray("behaviors").addObject().put("wait", millis);
    }
    if (Js.truthy(proxy.get("addDecorateBehavior"))) {
      response.withArray("behaviors").addObject().set("decorate", proxy.get("addDecorateBehavior"));
    }
    synchronized (stubsLock) {
      List<Stub> changed = new ArrayList<>(stubs);
      int index = Math.max(0, changed.indexOf(proxyStub));
      if (!always) {
        ObjectNode stub = Js.object();
        stub.set("predicates", predicates);
        stub.putArray("responses").add(response);
        changed.add(index, new Stub(stub));
      } else {
        String wanted = Js.stableStringify(predicates);
        int existing = -1;
        for (int i = index + 1; i < changed.size(); i++) {
          JsonNode given = changed.get(i).json().get("predicates");
          if (Js.stableStringify(given == null ? Js.NODES.arrayNode() : given).equals(wanted)) {
            existing = i;
            break;
          }
        }
        if (existing >= 0) {
          // Mountebank appends this response without copying it, so the defaults it adds while
          // answering (Connection, a corrected Content-Length) show in the recording too.
          Responses.addSentDefaults(is);
          ObjectNode stub = changed.get(existing).json().deepCopy();
          stub.withArray("responses").add(response);
          changed.set(existing, new Stub(stub));
        } else {
          ObjectNode stub = Js.object();
          stub.set("predicates", predicates);
          stub.putArray("responses").add(response);
          changed.add(new Stub(stub));
        }
      }
      stubs = List.copyOf(changed);
    }
    events.stubsChanged(this);
  }

  /** Removes the responses a proxy recorded, and stubs left without responses. */
  public void deleteSavedProxyResponses() {
    synchronized (stubsLock) {
      List<Stub> kept = new ArrayList<>();
      for (Stub stub : stubs) {
        ObjectNode json = stub.json().deepCopy();
        // Validated stubs always have a responses array.
        JsonNode responses = json.path("responses");
        ArrayNode remaining = Js.NODES.arrayNode();
        responses.forEach(
            response -> {
              JsonNode time = response.path("is").get("_proxyResponseTime");
              if (time == null || !time.isNumber()) {
                remaining.add(response);
              }
            });
        if (remaining.size() == responses.size()) {
          kept.add(stub);
        } else if (!remaining.isEmpty()) {
          json.set("responses", remaining);
          kept.add(new Stub(json));
        }
      }
      stubs = List.copyOf(kept);
    }
  }

  /** Stops listening and closes open connections. */
  public void stop() {
    if (externalStop != null) {
      Runnable stopping = externalStop;
      externalStop = null;
      stopping.run();
      injection.close();
      events.log("info", scope(), "Ciao for now");
      return;
    }
    if (listeners != null) {
      listeners.close();
      // As Mountebank does, a deleted imposter also drops the connections it still has open.
      connections.closeAll();
      RECENTLY_CLOSED.put(port, System.nanoTime());
      injection.close();
      LOG.info("{}Ciao for now", scope());
      events.log("info", scope(), "Ciao for now");
    }
  }

  /** Forgets the recorded requests and resets the count. */
  public void resetRequests() {
    recorded.clear();
    numberOfRequests.set(0);
  }

  /** Replaces all stubs. */
  public void replaceStubs(List<ObjectNode> jsons) {
    synchronized (stubsLock) {
      List<Stub> replacement = new ArrayList<>();
      jsons.forEach(json -> replacement.add(new Stub(json.deepCopy())));
      stubs = List.copyOf(replacement);
    }
  }

  /** Inserts a stub at an index (the end when index equals the count). */
  public void addStub(ObjectNode json, int index) {
    synchronized (stubsLock) {
      List<Stub> changed = new ArrayList<>(stubs);
      changed.add(index, new Stub(json.deepCopy()));
      stubs = List.copyOf(changed);
    }
  }

  /**
   * Inserts a stub written in Java at an index (the end when index equals the count). Only the
   * embedded server calls this: the REST API cannot.
   *
   * @throws MbError ({@code bad data}, as the REST API's {@code POST /imposters/:id/stubs}) unless
   *     0 &lt;= index &lt;= the number of stubs
   */
  public void addJavaStub(JavaStub java, int index) {
    ObjectNode json = Js.object();
    json.putArray("predicates").addObject().put("java", java.describe());
    json.putArray("responses").addObject().put("java", java.describe());
    synchronized (stubsLock) {
      if (index < 0 || index > stubs.size()) {
        throw MbError.badData("'index' must be between 0 and the length of the stubs array", null);
      }
      List<Stub> changed = new ArrayList<>(stubs);
      changed.add(index, new Stub(json, java));
      stubs = List.copyOf(changed);
    }
  }

  /** Replaces the stub at an index. */
  public void replaceStub(int index, ObjectNode json) {
    synchronized (stubsLock) {
      checkIndex(index);
      List<Stub> changed = new ArrayList<>(stubs);
      changed.set(index, new Stub(json.deepCopy()));
      stubs = List.copyOf(changed);
    }
  }

  /** Removes the stub at an index. */
  public void deleteStub(int index) {
    synchronized (stubsLock) {
      checkIndex(index);
      List<Stub> changed = new ArrayList<>(stubs);
      changed.remove(index);
      stubs = List.copyOf(changed);
    }
  }

  /** The stubs written in Java, by their index among all stubs. */
  public java.util.Map<Integer, JavaStub> javaStubs() {
    java.util.Map<Integer, JavaStub> java = new java.util.LinkedHashMap<>();
    List<Stub> current = stubs;
    for (int index = 0; index < current.size(); index++) {
      if (current.get(index).java() != null) {
        java.put(index, current.get(index).java());
      }
    }
    return java;
  }

  /**
   * The recorded requests as compact JSON text, oldest first: a copy, for the web page to filter
   * and page through without building the whole imposter's JSON.
   */
  public List<String> recordedRequests() {
    return recorded.texts();
  }

  /**
   * Where each stub is in its cycle of responses (the index of the response it gives next, counting
   * repeats), in stub order: what Mountebank's {@code --datadir} keeps as a stub's {@code
   * nextIndex}.
   */
  public int[] cyclePositions() {
    List<Stub> current = stubs;
    int[] positions = new int[current.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = current.get(i).position();
    }
    return positions;
  }

  /**
   * Restores what a restart keeps: each stub's cycle position (as {@link #cyclePositions()} gave
   * them; extra or missing entries are ignored) and the recorded requests, oldest first, which do
   * not count in {@code numberOfRequests} (as in Mountebank).
   */
  public void restore(int[] positions, List<ObjectNode> requests) {
    List<Stub> current = stubs;
    for (int i = 0; i < Math.min(positions.length, current.size()); i++) {
      current.get(i).position(positions[i]);
    }
    requests.forEach(recorded::add);
  }

  /**
   * Its stubs as kept (a proxy's recorded responses with their {@code _proxyResponseTime}), copies.
   */
  public List<ObjectNode> stubJsons() {
    List<ObjectNode> copies = new ArrayList<>();
    stubs.forEach(stub -> copies.add(stub.json().deepCopy()));
    return copies;
  }

  /** How many stubs it has. */
  public int stubCount() {
    return stubs.size();
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= stubs.size()) {
      throw MbError.noSuchResource("no stub at index " + index);
    }
  }

  /**
   * The imposter as Mountebank shows it, fields in Mountebank's order. Links are relative; the API
   * makes them absolute from the request's Host header.
   */
  public ObjectNode toJson(boolean replayable, boolean removeProxies, boolean list, String origin) {
    ObjectNode json = Js.object();
    json.set("protocol", header.get("protocol"));
    json.put("port", port);
    if (Js.truthy(header.get("name"))) {
      json.set("name", header.get("name"));
    }
    if (Js.truthy(header.get("defaultResponse"))) {
      json.set("defaultResponse", header.get("defaultResponse"));
    }
    if (!replayable) {
      json.put("numberOfRequests", numberOfRequests.get());
    }
    if (!list) {
      json.put("recordRequests", recordRequests);
      if (metadata != null) {
        metadata.properties().forEach(field -> json.set(field.getKey(), field.getValue()));
      }
      if (tcp) {
        json.put("mode", binary ? "binary" : "text");
      }
      if ("https".equals(Js.string(header.get("protocol")))) {
        json.put(
            "key", Js.truthy(header.get("key")) ? Js.string(header.get("key")) : Tls.DEFAULT_KEY);
        json.put(
            "cert",
            Js.truthy(header.get("cert")) ? Js.string(header.get("cert")) : Tls.DEFAULT_CERT);
        json.put("mutualAuth", Js.truthy(header.get("mutualAuth")));
        json.put("rejectUnauthorized", Js.truthy(header.get("rejectUnauthorized")));
        json.set("ca", header.has("ca") ? header.get("ca") : Js.NODES.nullNode());
        if (header.has("ciphers")) {
          json.put("ciphers", Tls.ciphers(header.get("ciphers")));
        }
      }
    }
    if (Js.truthy(header.get("endOfRequestResolver"))) {
      json.set("endOfRequestResolver", header.get("endOfRequestResolver"));
    }
    String base = origin + "/imposters/" + port;
    if (list) {
      json.set("_links", links(base));
      return json;
    }
    if (!replayable) {
      json.set("requests", recorded.toJson());
    }
    ArrayNode stubsJson = json.putArray("stubs");
    List<Stub> current = stubs;
    for (int index = 0; index < current.size(); index++) {
      ObjectNode copy = current.get(index).json().deepCopy();
      if (removeProxies) {
        JsonNode responses = copy.get("responses");
        if (responses != null && responses.isArray()) {
          ArrayNode kept = Js.NODES.arrayNode();
          responses.forEach(
              r -> {
                if (!r.has("proxy")) {
                  kept.add(r);
                }
              });
          copy.set("responses", kept);
          if (kept.isEmpty()) {
            continue;
          }
        }
      }
      if (!replayable && switches.debug()) {
        ArrayNode matches = current.get(index).matches();
        if (!matches.isEmpty()) {
          copy.set("matches", matches);
        }
      }
      if (replayable) {
        JsonNode responses = copy.get("responses");
        if (responses != null) {
          responses.forEach(
              response -> {
                if (response.path("is").isObject()) {
                  ((ObjectNode) response.get("is")).remove("_proxyResponseTime");
                }
              });
        }
      } else {
        ObjectNode self = Js.object();
        self.putObject("self").put("href", base + "/stubs/" + index);
        copy.set("_links", self);
      }
      stubsJson.add(copy);
    }
    if (!replayable) {
      json.set("_links", links(base));
    }
    return json;
  }

  private static ObjectNode links(String base) {
    ObjectNode links = Js.object();
    links.putObject("self").put("href", base);
    links.putObject("stubs").put("href", base + "/stubs");
    return links;
  }
}
