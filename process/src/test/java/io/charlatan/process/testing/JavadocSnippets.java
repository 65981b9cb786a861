package io.charlatan.process.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles the code examples of a module's Javadoc (the {@code pre} blocks of {@code @code} text)
 * against the test class path, so that an example that no longer compiles fails the build, as the
 * README snippets do. Shared by the modules' tests (test-jar).
 *
 * <p>An example is compiled as statements of a method (that may throw), else as members of a class
 * (fixture methods, fields), else as a whole file (annotated test classes), with the module's
 * packages and the usual JDK, JUnit and AssertJ names imported. It must be plain Java: it declares
 * what it uses. The one liberty it may take is an elided part: a line or a block body that is only
 * {@code ...}.
 */
public final class JavadocSnippets {
  private static final Pattern BLOCK =
      Pattern.compile("<pre>\\{@code\\s*\\n(.*?)\\n\\s*\\*?\\s*}</pre>", Pattern.DOTALL);
  private static final Pattern LEADING_STAR = Pattern.compile("^\\s*\\* ?");

  private JavadocSnippets() {}

  /** One example: where it is and its code. */
  public record Snippet(Path source, int line, String code) {
    @Override
    public String toString() {
      return source.getFileName() + ":" + line;
    }
  }

  /** Every example in the Javadoc of the {@code .java} files under a source root. */
  public static List<Snippet> find(Path sourceRoot) throws IOException {
    List<Snippet> snippets = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(file);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
          int line = (int) text.substring(0, block.start()).lines().count() + 1;
          String code =
              block
                  .group(1)
                  .lines()
                  .map(l -> LEADING_STAR.matcher(l).replaceFirst(""))
                  .collect(Collectors.joining("\n"));
          snippets.add(new Snippet(file, line, code));
        }
      }
    }
    return snippets;
  }

  /**
   * Compiles every example under the source root and fails, listing each example that does not
   * compile with javac's messages.
   *
   * @param imports packages (e.g. {@code io.charlatan.process}) whose types the examples use
   *     without importing them
   * @throws AssertionError naming every example that does not compile, and why
   */
  public static void assertAllCompile(Path sourceRoot, String... imports) {
    assertAllCompile(sourceRoot, List.of(imports), List.of());
  }

  /**
   * As {@link #assertAllCompile(Path, String...)}, with names the examples may use without
   * declaring them: fields such as {@code "Imposter payments"}, {@code "EmbeddedMountebank
   * mountebank"}, for the handles a reader of the type's documentation already has, and types such
   * as {@code "class MyFixtures {}"} standing for the reader's own code.
   */
  public static void assertAllCompile(Path sourceRoot, List<String> imports, List<String> given) {
    List<Snippet> snippets;
    try {
      snippets = find(sourceRoot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (snippets.isEmpty()) {
      throw new AssertionError("no <pre>{@code ...}</pre> example under " + sourceRoot);
    }
    // One javac run per form for all the examples still failing (each in a package of its own,
    // so that their classes cannot clash): three runs in all, not three per example.
    Map<Integer, String> errors = new TreeMap<>();
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      pending.add(i);
    }
    for (int form = 0; form < 3 && !pending.isEmpty(); form++) {
      Map<Integer, String> sources = new LinkedHashMap<>();
      Map<Integer, Integer> linesBefore = new LinkedHashMap<>();
      for (int i : pending) {
        String prefix = "package snippet" + i + ";\n" + prefix(form, imports, given);
        sources.put(i, prefix + elide(snippets.get(i).code()) + SUFFIXES.get(form));
        linesBefore.put(i, (int) prefix.chars().filter(c -> c == '\n').count());
      }
      Map<Integer, String> failed = javac(sources, linesBefore);
      for (int i : pending) {
        String now = failed.get(i);
        String before = errors.get(i);
        if (now == null) {
          errors.remove(i);
        } else if (before == null || form == 0 || count(now) < count(before)) {
          errors.put(i, now);
        }
      }
      pending = new ArrayList<>(failed.keySet());
    }
    List<String> failures = new ArrayList<>();
    for (int i : pending) {
      Snippet snippet = snippets.get(i);
      failures.add(snippet + "\n" + indent(elide(snippet.code())) + "\n  javac: " + errors.get(i));
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          failures.size()
              + " of "
              + snippets.size()
              + " Javadoc examples do not compile:\n\n"
              + String.join("\n\n", failures));
    }
  }

  private static final List<String> SUFFIXES = List.of("\n}\n}\n", "\n}\n", "\n");

  /**
   * What comes before an example in each form: statements of a method (0), members of a class (1),
   * a whole file (2).
   */
  private static String prefix(int form, List<String> imports, List<String> given) {
    StringBuilder header = new StringBuilder();
    for (String name : imports) {
      header.append("import ").append(name).append(".*;\n");
    }
    header.append(
        """
        import com.sun.net.httpserver.*;
        import java.io.*;
        import java.net.*;
        import java.net.http.*;
        import java.nio.file.*;
        import java.sql.*;
        import java.time.*;
        import java.util.*;
        import java.lang.annotation.*;
        import org.junit.jupiter.api.BeforeEach;
        import org.junit.jupiter.api.AfterEach;
        import org.junit.jupiter.api.BeforeAll;
        import org.junit.jupiter.api.AfterAll;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.extension.RegisterExtension;
        import static org.assertj.core.api.Assertions.*;
        """);
    String fields =
        given.stream()
            .filter(g -> !isType(g))
            .map(field -> field + ";")
            .collect(Collectors.joining(" "));
    header.append(given.stream().filter(JavadocSnippets::isType).collect(Collectors.joining(" ")));
    return switch (form) {
      case 0 -> header + "class Snippet {" + fields + "\n void snippet() throws Exception {\n";
      case 1 -> header + "class Snippet {" + fields + "\n";
      default -> header.toString();
    };
  }

  private static long count(String errors) {
    return errors.chars().filter(c -> c == ';').count();
  }

  private static boolean isType(String given) {
    return given.startsWith("class ") || given.startsWith("interface ");
  }

  /** {@code ...} alone on a line, or as a block's whole body, stands for code left out. */
  private static String elide(String code) {
    return code.replaceAll("\\{\\s*\\.\\.\\.\\s*}", "{}").replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "");
  }

  /**
   * Compiles the sources together; the errors of each that does not compile, by its key, with lines
   * counted from the example's first.
   */
  private static Map<Integer, String> javac(
      Map<Integer, String> sources, Map<Integer, Integer> linesBefore) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<URI, Integer> keys = new LinkedHashMap<>();
    List<JavaFileObject> files = new ArrayList<>();
    for (Map.Entry<Integer, String> source : sources.entrySet()) {
      URI uri = URI.create("string:///snippet" + source.getKey() + "/Snippet.java");
      keys.put(uri, source.getKey());
      files.add(
          new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source.getValue();
            }
          });
    }
    Path out;
    try {
      out = Files.createTempDirectory("javadoc-snippet");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<String> options =
          List.of(
              "-proc:none",
              // Attribute every file even when another has a syntax error.
              "--should-stop=ifError=FLOW",
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              out.toString());
      compiler.getTask(new StringWriter(), null, diagnostics, options, null, files).call();
      Map<Integer, String> errors = new TreeMap<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
          continue;
        }
        int key = keys.get(d.getSource().toUri());
        String message =
            "example line "
                + (d.getLineNumber() - linesBefore.get(key))
                + ": "
                + d.getMessage(Locale.ROOT);
        errors.merge(key, message, (a, b) -> a + "; " + b);
      }
      return errors;
    } finally {
      deleteTree(out);
    }
  }

  private static String indent(String code) {
    return code.lines().map(l -> "    | " + l).collect(Collectors.joining("\n"));
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
