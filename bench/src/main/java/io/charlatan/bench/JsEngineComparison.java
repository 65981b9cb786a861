package io.charlatan.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/**
 * GraalJS against Rhino for Mountebank's JavaScript injection (docs/injection.md): the functions in
 * Mountebank's own documentation (read from the installed {@code mountebank} package, as {@code
 * scripts/install-mountebank.sh} puts it in {@code .mountebank/}), compiled and called with
 * Mountebank's arguments in each engine; the language features users' scripts rely on; and the cost
 * of a call and of a new context. Prints a Markdown report.
 */
public final class JsEngineComparison {
  private static final Pattern INJECTED =
      Pattern.compile(
          "\"(inject|decorate|wait|endOfRequestResolver)\"\\s*:\\s*(?:\\{\\s*\"inject\"\\s*:\\s*)?"
              + "\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Mountebank's arguments: the config object and, for the old interface, positional ones. */
  private static final String PRELUDE =
      "var logger = {debug: function () {}, info: function () {}, warn: function () {},"
          + " error: function () {}};"
          + "function callInjected(fn) {"
          + "  var request = {method: 'POST', path: '/test', query: {key: 'value'},"
          + "    headers: {'Content-Type': 'application/json'}, body: '{\"name\": \"x\"}',"
          + "    data: 'aGVsbG8=', requestFrom: '127.0.0.1:5000', ip: '127.0.0.1'};"
          + "  var response = {statusCode: 200, headers: {}, body: 'Hello', data: 'aGVsbG8='};"
          + "  var state = {};"
          + "  var config = {request: request, state: state, logger: logger,"
          + "    callback: function () {}, response: response};"
          + "  fn(config, state, logger, config.callback, response);"
          + "  return 'ok';"
          + "}";

  private static final String[][] FEATURES = {
    {"arrow functions", "(x => x + 1)(1) === 2"},
    {"template strings", "`a${1 + 1}b` === 'a2b'"},
    {"let / const", "(function () { let a = 1; const b = 2; return a + b; })() === 3"},
    {
      "destructuring parameters",
      "(({request, state}) => request.path + state.n)({request: {path: '/p'}, state: {n: 1}})"
          + " === '/p1'"
    },
    {"default parameters", "((a, b = 2) => a + b)(1) === 3"},
    {"object spread", "(function () { var a = {x: 1}; return {...a, y: 2}.x; })() === 1"},
    {"spread in calls", "Math.max(...[1, 3, 2]) === 3"},
    {"classes", "(function () { class A { f() { return 1; } } return new A().f(); })() === 1"},
    {"async functions", "typeof (async () => 1) === 'function'"},
    {"generators", "(function* () { yield 1; })().next().value === 1"},
    {"Promise", "typeof Promise.resolve(1).then === 'function'"},
    {"Map / Set", "new Map([[1, 2]]).get(1) === 2 && new Set([1, 1]).size === 1"},
    {"optional chaining, nullish (ES2020)", "({a: null}).a?.b === undefined && (null ?? 2) === 2"},
    {"named capture groups (ES2018)", "/(?<y>\\d{4})/.exec('2026').groups.y === '2026'"},
    {"no Java reachable", "typeof java === 'undefined' && typeof Packages === 'undefined'"},
  };

  private static final String TIMED =
      "config => { config.state.n = (config.state.n || 0) + 1;"
          + " return {statusCode: 200, headers: {'Content-Type': 'application/json'},"
          + " body: JSON.stringify({count: config.state.n, path: config.request.path})}; }";

  private JsEngineComparison() {}

  /**
   * Runs the comparison.
   *
   * @param args the installed mountebank package (default {@code
   *     .mountebank/node_modules/mountebank})
   * @throws IOException if the package cannot be read
   */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path mountebank = Path.of(args.length > 0 ? args[0] : ".mountebank/node_modules/mountebank");
    List<String[]> snippets = snippets(mountebank.resolve("src/views/docs"));
    try (Engine engine =
        Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
      Function<String, String> graal = code -> graal(engine, code);
      int[] graalCounts = new int[2];
      int[] rhinoCounts = new int[2];
      List<String> differences = new ArrayList<>();
      for (String[] snippet : snippets) {
        String g = graal.apply(snippet[2]);
        String r = rhino(snippet[2]);
        count(graalCounts, g);
        count(rhinoCounts, r);
        if (!g.equals(r) || !g.equals("ok")) {
          differences.add("| " + snippet[0] + " | " + snippet[1] + " | " + g + " | " + r + " |");
        }
      }
      out.println("## Mountebank's documented functions (" + snippets.size() + ")");
      out.println();
      out.println("| | GraalJS 23.1.8 | Rhino 1.9.2 |");
      out.println("|---|---:|---:|");
      out.println("| compile | " + graalCounts[0] + " | " + rhinoCounts[0] + " |");
      out.println(
          "| run with Mountebank's arguments | " + graalCounts[1] + " | " + rhinoCounts[1] + " |");
      out.println();
      out.println("| page | kind | GraalJS | Rhino |");
      out.println("|---|---|---|---|");
      differences.forEach(out::println);
      out.println();
      out.println("## Language features");
      out.println();
      out.println("| feature | GraalJS | Rhino |");
      out.println("|---|---|---|");
      for (String[] feature : FEATURES) {
        out.println(
            "| "
                + feature[0]
                + " | "
                + graalBoolean(engine, feature[1])
                + " | "
                + rhinoBoolean(feature[1])
                + " |");
      }
      out.println();
      out.println("## Cost (warm; load " + load() + ")");
      out.println();
      out.println("| | GraalJS | Rhino |");
      out.println("|---|---:|---:|");
      double[] graalCost = graalCost(engine);
      double[] rhinoCost = rhinoCost();
      out.printf(
          Locale.ROOT,
          "| one call of an `inject` response function, µs | %.1f | %.1f |%n",
          graalCost[0],
          rhinoCost[0]);
      out.printf(
          Locale.ROOT,
          "| a new context with the function compiled, ms | %.1f | %.1f |%n",
          graalCost[1],
          rhinoCost[1]);
    }
  }

  private static void count(int[] counts, String outcome) {
    if (!outcome.startsWith("compile")) {
      counts[0]++;
    }
    if (outcome.equals("ok")) {
      counts[1]++;
    }
  }

  private static List<String[]> snippets(Path docs) throws IOException {
    if (!Files.isDirectory(docs)) {
      throw new IOException(
          "no Mountebank documentation at " + docs + "; run scripts/install-mountebank.sh first");
    }
    List<String[]> snippets = new ArrayList<>();
    try (Stream<Path> files = Files.walk(docs)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".ejs")).sorted().toList()) {
        Matcher matcher = INJECTED.matcher(Files.readString(file));
        while (matcher.find()) {
          String code = unescape(matcher.group(2));
          // Snippets that are page templates or elided ("..."), not functions, are left out.
          if (code.contains("<%") || code.contains("(...)") || code.contains("<strong")) {
            continue;
          }
          if (matcher.group(1).equals("wait")
              && !code.contains("=>")
              && !code.contains("function")) {
            continue;
          }
          snippets.add(new String[] {docs.relativize(file).toString(), matcher.group(1), code});
        }
      }
    }
    return snippets;
  }

  private static String unescape(String json) {
    try {
      String text =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readValue("\"" + json + "\"", String.class);
      return text.replace("&lt;", "<")
          .replace("&gt;", ">")
          .replace("&quot;", "\"")
          .replace("&amp;", "&");
    } catch (IOException e) {
      return json;
    }
  }

  private static String graal(Engine engine, String code) {
    try (Context context = Context.newBuilder("js").engine(engine).build()) {
      Value function;
      try {
        context.eval("js", PRELUDE);
        function = context.eval("js", "(" + code + ")");
      } catch (RuntimeException e) {
        return "compile: " + brief(e.getMessage());
      }
      try {
        context.getBindings("js").getMember("callInjected").execute(function);
        return "ok";
      } catch (RuntimeException e) {
        return "run: " + brief(e.getMessage());
      }
    }
  }

  private static String rhino(String code) {
    org.mozilla.javascript.Context context = rhinoContext();
    try {
      ScriptableObject scope = context.initSafeStandardObjects();
      Object function;
      try {
        context.evaluateString(scope, PRELUDE, "prelude", 1, null);
        function = context.evaluateString(scope, "(" + code + ")", "injected", 1, null);
      } catch (RuntimeException e) {
        return "compile: " + brief(e.getMessage());
      }
      try {
        org.mozilla.javascript.Function call =
            (org.mozilla.javascript.Function) scope.get("callInjected", scope);
        call.call(context, scope, scope, new Object[] {function});
        return "ok";
      } catch (RuntimeException e) {
        return "run: " + brief(e.getMessage());
      }
    } finally {
      org.mozilla.javascript.Context.exit();
    }
  }

  private static org.mozilla.javascript.Context rhinoContext() {
    org.mozilla.javascript.Context context = org.mozilla.javascript.Context.enter();
    context.setLanguageVersion(org.mozilla.javascript.Context.VERSION_ECMASCRIPT);
    return context;
  }

  private static String graalBoolean(Engine engine, String expression) {
    try (Context context = Context.newBuilder("js").engine(engine).build()) {
      return context.eval("js", expression).asBoolean() ? "yes" : "no";
    } catch (RuntimeException e) {
      return "no: " + brief(e.getMessage());
    }
  }

  private static String rhinoBoolean(String expression) {
    org.mozilla.javascript.Context context = rhinoContext();
    try {
      Scriptable scope = context.initSafeStandardObjects();
      return Boolean.TRUE.equals(context.evaluateString(scope, expression, "feature", 1, null))
          ? "yes"
          : "no";
    } catch (RuntimeException e) {
      return "no: " + brief(e.getMessage());
    } finally {
      org.mozilla.javascript.Context.exit();
    }
  }

  private static double[] graalCost(Engine engine) {
    try (Context context = Context.newBuilder("js").engine(engine).build()) {
      context.eval("js", PRELUDE);
      Value function = context.eval("js", "(" + TIMED + ")");
      Value call = context.getBindings("js").getMember("callInjected");
      for (int i = 0; i < 20_000; i++) {
        call.execute(function);
      }
      long begin = System.nanoTime();
      for (int i = 0; i < 50_000; i++) {
        call.execute(function);
      }
      double perCall = (System.nanoTime() - begin) / 1e3 / 50_000;
      long contexts = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        try (Context fresh = Context.newBuilder("js").engine(engine).build()) {
          fresh.eval("js", "(" + TIMED + ")");
        }
      }
      return new double[] {perCall, (System.nanoTime() - contexts) / 1e6 / 100};
    }
  }

  private static double[] rhinoCost() {
    org.mozilla.javascript.Context context = rhinoContext();
    try {
      ScriptableObject scope = context.initSafeStandardObjects();
      context.evaluateString(scope, PRELUDE, "prelude", 1, null);
      Object function = context.evaluateString(scope, "(" + TIMED + ")", "timed", 1, null);
      org.mozilla.javascript.Function call =
          (org.mozilla.javascript.Function) scope.get("callInjected", scope);
      for (int i = 0; i < 20_000; i++) {
        call.call(context, scope, scope, new Object[] {function});
      }
      long begin = System.nanoTime();
      for (int i = 0; i < 50_000; i++) {
        call.call(context, scope, scope, new Object[] {function});
      }
      double perCall = (System.nanoTime() - begin) / 1e3 / 50_000;
      long contexts = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        ScriptableObject fresh = context.initSafeStandardObjects();
        context.evaluateString(fresh, "(" + TIMED + ")", "timed", 1, null);
      }
      return new double[] {perCall, (System.nanoTime() - contexts) / 1e6 / 100};
    } finally {
      org.mozilla.javascript.Context.exit();
    }
  }

  private static String brief(String message) {
    String line = String.valueOf(message).replace('\n', ' ').replace('|', '/');
    return line.length() > 70 ? line.substring(0, 70) + "..." : line;
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
