package io.charlatan.process.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    List<String> failures = new ArrayList<>();
    for (Snippet snippet : snippets) {
      compile(snippet, imports, given).ifPresent(errors -> failures.add(snippet + "\n" + errors));
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

  /** Empty when one of the three forms compiles, else javac's messages for the form with fewest. */
  private static java.util.Optional<String> compile(
      Snippet snippet, List<String> imports, List<String> given) {
    String code = elide(snippet.code());
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
    String types = given.stream().filter(JavadocSnippets::isType).collect(Collectors.joining(" "));
    header.append(types);
    List<String> prefixes =
        List.of(
            header + "class Snippet {" + fields + "\n void snippet() throws Exception {\n",
            header + "class Snippet {" + fields + "\n",
            header.toString());
    List<String> suffixes = List.of("\n}\n}\n", "\n}\n", "\n");
    String fewestErrors = null;
    for (int i = 0; i < prefixes.size(); i++) {
      String prefix = prefixes.get(i);
      String errors =
          javac(
              prefix + code + suffixes.get(i), (int) prefix.chars().filter(c -> c == '\n').count());
      if (errors == null) {
        return java.util.Optional.empty();
      }
      if (fewestErrors == null || count(errors) < count(fewestErrors)) {
        fewestErrors = errors;
      }
    }
    return java.util.Optional.of(indent(code) + "\n  javac: " + fewestErrors);
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

  /** Null when it compiles, else the errors, with lines counted from the example's first. */
  private static String javac(String source, int linesBefore) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
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
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              out.toString());
      boolean ok =
          compiler
              .getTask(new StringWriter(), null, diagnostics, options, null, List.of(file))
              .call();
      if (ok) {
        return null;
      }
      return diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(
              d ->
                  "example line "
                      + (d.getLineNumber() - linesBefore)
                      + ": "
                      + d.getMessage(Locale.ROOT))
          .collect(Collectors.joining("; "));
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
