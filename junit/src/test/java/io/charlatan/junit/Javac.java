package io.charlatan.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources while the tests run, without {@code -parameters} (as a build that does not
 * set it would), and loads the classes, so tests can see what a user without parameter names sees.
 */
final class Javac {
  private static final Pattern TYPE = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)");

  private Javac() {}

  /**
   * Compiles the sources (each one top-level class of package {@code noparams}) with the test class
   * path and loads them.
   *
   * @return the loaded classes by simple name
   */
  static Map<String, Class<?>> compile(Class<?>[] classPath, String... sources) {
    try {
      Path dir = Files.createTempDirectory("charlatan-javac");
      Path sourceDir = Files.createDirectories(dir.resolve("src/noparams"));
      Path out = Files.createDirectories(dir.resolve("classes"));
      List<String> arguments =
          new ArrayList<>(List.of("-d", out.toString(), "-cp", path(classPath)));
      List<String> names = new ArrayList<>();
      for (String source : sources) {
        Matcher type = TYPE.matcher(source);
        if (!type.find()) {
          throw new IllegalArgumentException("no class in " + source);
        }
        Path file = sourceDir.resolve(type.group(1) + ".java");
        Files.writeString(file, "package noparams;\n\n" + source);
        arguments.add(file.toString());
        names.add(type.group(1));
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int status = javac.run(null, null, System.err, arguments.toArray(String[]::new));
      if (status != 0) {
        throw new IllegalStateException("javac failed (" + status + "), see stderr");
      }
      @SuppressWarnings("resource") // The classes stay loaded for the rest of the test run.
      URLClassLoader loader =
          new URLClassLoader(new URL[] {out.toUri().toURL()}, Javac.class.getClassLoader());
      Map<String, Class<?>> classes = new java.util.HashMap<>();
      for (String name : names) {
        classes.put(name, loader.loadClass("noparams." + name));
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The class path entries (jars or directories) that hold these classes. */
  private static String path(Class<?>[] classes) throws MalformedURLException {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : classes) {
      try {
        entries.add(
            Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new MalformedURLException(e.getMessage());
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
