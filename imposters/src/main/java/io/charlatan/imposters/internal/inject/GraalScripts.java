package io.charlatan.imposters.internal.inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * An imposter's scripts in a GraalJS context of its own. Contexts share one engine, so code
 * compiled for one imposter is reused by the next. Scripts see no Java (no host class lookup, no
 * host objects but the logger and callbacks), no files and no processes.
 */
final class GraalScripts implements Scripts {
  private static final Engine ENGINE =
      Engine.newBuilder("js")
          // Stock JDKs have no Graal compiler: the interpreter is expected, not worth a warning.
          .option("engine.WarnInterpreterOnly", "false")
          .build();

  private static final Source PRELUDE = prelude();

  /** Every open context, for the watchdog. */
  private static final java.util.Set<GraalScripts> OPEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  // One thread watches every context ten times a second and interrupts a call that has run past
  // the limit: a call costs two volatile writes, not a timer of its own.
  static {
    startWatchdog();
  }

  private static void startWatchdog() {
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "charlatan-script-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    var unused =
        watchdog.scheduleWithFixedDelay(
            () -> OPEN.forEach(GraalScripts::interruptIfOverdue), 100, 100, TimeUnit.MILLISECONDS);
  }

  /** When the running outermost call started ({@link System#nanoTime()}), or 0 when idle. */
  private volatile long callStarted;

  private int depth;
  private final Context context;
  private final Value api;
  private final Duration limit;
  private final Map<String, Value> functions = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextCall;

  GraalScripts(BiConsumer<String, String> log, Duration limit) {
    this.limit = limit;
    this.context = Context.newBuilder("js").engine(ENGINE).build();
    ProxyExecutable hostLog =
        arguments -> {
          log.accept(arguments[0].asString(), arguments[1].asString());
          return null;
        };
    synchronized (this) {
      this.api = context.eval(PRELUDE).execute(hostLog, (ProxyExecutable) this::settled);
    }
    OPEN.add(this);
  }

  private static Source prelude() {
    try (InputStream in = GraalScripts.class.getResourceAsStream("prelude.js")) {
      if (in == null) {
        throw new IllegalStateException("prelude.js is missing from the charlatan-imposters jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Source.newBuilder("js", text, "charlatan-prelude.js").build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read prelude.js: " + e, e);
    }
  }

  @Override
  public synchronized boolean predicate(String function, String requestJson) {
    String source = "(" + function + ")(config, logger, imposterState);";
    return timed(
            source, () -> api.invokeMember("predicate", compiled(function, source), requestJson))
        .asBoolean();
  }

  @Override
  public synchronized void respond(
      String function, String requestJson, Consumer<String> done, Consumer<String[]> failed) {
    String source = "(" + function + ")(config, injectState, logger, done, imposterState);";
    long id = nextCall++;
    pending.put(id, new Pending(done, failed));
    try {
      timed(
          source,
          () -> api.invokeMember("respond", compiled(function, source), requestJson, (double) id));
    } catch (ScriptException e) {
      pending.remove(id);
      throw e;
    }
  }

  /** The answer an injected response owes: given when it calls back or its promise settles. */
  private record Pending(Consumer<String> done, Consumer<String[]> failed) {}

  // Host functions made once per context (a new host object per call would cost GraalJS more).
  private Object settled(org.graalvm.polyglot.Value[] arguments) {
    Pending owed = pending.remove((long) arguments[0].asDouble());
    if (owed != null) {
      if (arguments.length == 2) {
        owed.done().accept(arguments[1].asString());
      } else {
        owed.failed().accept(new String[] {arguments[1].asString(), arguments[2].asString()});
      }
    }
    return null;
  }

  @Override
  public synchronized String decorate(String function, String requestJson, String responseJson) {
    String source = "(" + function + ")(config, response, logger);";
    return timed(
            source,
            () ->
                api.invokeMember("decorate", compiled(function, source), requestJson, responseJson))
        .asString();
  }

  @Override
  public synchronized String generate(String function, String requestJson) {
    String source = "(" + function + ")(config);";
    return timed(
            source, () -> api.invokeMember("generate", compiled(function, source), requestJson))
        .asString();
  }

  @Override
  public synchronized double waitMillis(String function) {
    return timed(function, () -> api.invokeMember("wait", compiled(function, function))).asDouble();
  }

  @Override
  public synchronized boolean endOfRequest(String function, String data, boolean binary) {
    String source = "(" + function + ")(requestData, logger)";
    return timed(
            source,
            () -> api.invokeMember("endOfRequest", compiled(function, source), data, binary))
        .asBoolean();
  }

  @Override
  public synchronized void close() {
    OPEN.remove(this);
    context.close(true);
  }

  /** The function a source evaluates to, compiled once per context. */
  private Value compiled(String function, String source) {
    Value known = functions.get(function);
    if (known == null) {
      known =
          timed(
              source,
              () ->
                  context.eval(
                      Source.newBuilder("js", "(" + function + ")", "injection.js")
                          .cached(true)
                          .buildLiteral()));
      if (!known.canExecute()) {
        throw new ScriptException(source, "(intermediate value) is not a function", null);
      }
      functions.put(function, known);
    }
    return known;
  }

  /** Runs a call into the context, interrupted when it runs longer than the limit. */
  private Value timed(String source, Supplier<Value> call) {
    // Calls nest when a script's callback leads to another script (a decorator after an
    // injected response): the outermost call is the one timed.
    if (depth++ == 0) {
      callStarted = System.nanoTime();
    }
    try {
      return call.get();
    } catch (PolyglotException e) {
      throw failure(source, e);
    } finally {
      if (--depth == 0) {
        callStarted = 0;
      }
    }
  }

  private void interruptIfOverdue() {
    long started = callStarted;
    if (started != 0 && System.nanoTime() - started > limit.toNanos()) {
      try {
        context.interrupt(Duration.ofSeconds(1));
      } catch (TimeoutException | RuntimeException stillRunning) {
        // The next round of the watchdog, or the close of the imposter, ends it.
      }
    }
  }

  private ScriptException failure(String source, PolyglotException e) {
    if (e.isInterrupted() || e.isCancelled()) {
      return new ScriptException(
          source,
          "the script ran longer than "
              + limit.toMillis()
              + " ms, Charlatan's limit for one call of injected JavaScript",
          e);
    }
    if (e.isHostException()) {
      Throwable host = e.asHostException();
      if (host instanceof ScriptException script) {
        return script;
      }
      return new ScriptException(source, String.valueOf(host), host);
    }
    Value guest = e.getGuestObject();
    String message = e.getMessage();
    if (guest != null && guest.hasMembers() && guest.hasMember("message")) {
      Value value = guest.getMember("message");
      message = value.isNull() ? null : value.toString();
    } else if (guest != null && !e.isSyntaxError()) {
      // throw 'text': no message property, as error.message is undefined in Node.
      message = null;
    }
    return new ScriptException(source, message, e);
  }
}
