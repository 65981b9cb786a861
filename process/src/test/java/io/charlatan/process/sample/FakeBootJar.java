package io.charlatan.process.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The launcher of a stand-in for a Spring Boot jar: run plainly, it runs {@link SampleService};
 * with {@code -Djarmode=tools} and {@code extract --destination DIR}, it writes the extracted form
 * as Spring Boot's tool does, {@code DIR/<jar name>}, a plain jar whose main class is the
 * application's. A jar named {@code broken*} fails to extract, exit code 3.
 */
public final class FakeBootJar {
  private FakeBootJar() {}

  /**
   * Runs the service, or extracts.
   *
   * @param args the port, or {@code extract --destination DIR}
   * @throws Exception if the jar cannot be read or written
   */
  public static void main(String[] args) throws Exception {
    if (!"tools".equals(System.getProperty("jarmode"))) {
      SampleService.main(args);
      return;
    }
    if (args.length != 3 || !args[0].equals("extract") || !args[1].equals("--destination")) {
      System.err.println("usage: extract --destination DIR");
      System.exit(2);
    }
    Path self =
        Path.of(FakeBootJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (self.getFileName().toString().startsWith("broken")) {
      System.err.println("cannot extract " + self);
      System.exit(3);
    }
    Path destination = Files.createDirectories(Path.of(args[2]));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SampleService.class.getName());
    try (InputStream in = Files.newInputStream(self);
        JarInputStream boot = new JarInputStream(in);
        OutputStream file = Files.newOutputStream(destination.resolve(self.getFileName()));
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (JarEntry entry; (entry = boot.getNextJarEntry()) != null; ) {
        if (entry.getName().endsWith(".class")) {
          out.putNextEntry(new JarEntry(entry.getName()));
          boot.transferTo(out);
          out.closeEntry();
        }
      }
    }
  }
}
