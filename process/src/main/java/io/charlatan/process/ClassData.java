package io.charlatan.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data archive of a Java service: the JDK's own record of the classes a start loaded,
 * mapped by later starts instead of loading and verifying those classes again.
 *
 * <p>{@link JavaCommand} names the archive in the command with a system property ({@link #MARKER},
 * harmless to a JVM started some other way); {@link ServiceProcess} asks {@link #prepare} at each
 * start for the flags. The first start records what it loads (JDK 17-23: {@code
 * -XX:DumpLoadedClassList}; JDK 24+: {@code -XX:AOTMode=record}, JEP 483); when it has exited, a
 * short JVM of our own assembles the archive from that record ({@code -Xshare:dump}, or {@code
 * -XX:AOTMode=create}) into a temporary file that is renamed into place only when complete. Later
 * starts map it ({@code -XX:SharedArchiveFile}, or {@code -XX:AOTCache}).
 *
 * <p>Why record and assemble rather than the one-step forms ({@code -XX:ArchiveClassesAtExit} on
 * 17, {@code -XX:AOTCacheOutput} on 25): both write the archive while the service exits, so its
 * stop waits for them (seconds for a Spring Boot service, and a stop grace that runs out kills the
 * writer); and the dynamic archive refuses a JVM with a Java agent ("Must enable
 * AllowArchivingWithJavaAgent"), which is every service under the JaCoCo agent, losing the run's
 * coverage too. A class list and an AOT configuration are recorded with the agent present, and the
 * archive made from them, without the agent, is mapped with or without it.
 *
 * <p>One writer per archive: a file lock (with an in-JVM claim, as one JVM cannot lock a file
 * twice) held from the recording start until the archive is assembled; a start that finds the
 * archive being made runs without one. An archive a JVM did not map (a JDK or class path it no
 * longer matches) is deleted after that start, so that the next one makes it anew; a start that
 * crashes the JVM while mapping one deletes it and starts again without.
 */
final class ClassData {
  /** The system property that names the archive in a command. */
  static final String MARKER = "-Dcharlatan.classData.archive=";

  /** The system property that turns archives off in the test JVM ({@code false}). */
  static final String SWITCH_PROPERTY = "charlatan.classData";

  /** The system property naming the directory of archives. */
  static final String DIRECTORY_PROPERTY = "charlatan.classData.dir";

  /** Default directory of archives, under the build directory. */
  static final Path DEFAULT_DIRECTORY = Path.of("target", "charlatan", "class-data");

  private static final Logger LOG = LoggerFactory.getLogger(ClassData.class);
  private static final Map<Path, FileLock> CLAIMS = new ConcurrentHashMap<>();
  private static final Map<String, String> FILE_HASHES = new ConcurrentHashMap<>();
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Path SHELL = Path.of("/bin/sh");
  private static final Duration RECORD_GRACE = Duration.ofMinutes(1);
  private static final int KEPT_PER_SERVICE = 4;

  /** Options of the service's JVM that the assembling JVM leaves out: agents, logs, recording. */
  private static final List<String> NOT_FOR_ASSEMBLY =
      List.of(
          "-javaagent:",
          "-agentlib:",
          "-agentpath:",
          "-Xlog",
          MARKER,
          "-XX:AOTMode=",
          "-XX:AOTConfiguration=",
          "-XX:DumpLoadedClassList=");

  private static final int AOT_RELEASE = 24;
  private static final int FIRST_RELEASE = 17;
  private static final List<String> OWN_CDS_OPTIONS =
      List.of(
          "-Xshare",
          "-XX:SharedArchiveFile",
          "-XX:ArchiveClassesAtExit",
          "-XX:DumpLoadedClassList",
          "-XX:SharedClassListFile",
          "-XX:AOT",
          "-XX:+AutoCreateSharedArchive");

  private ClassData() {}

  /**
   * Whether archives are on for this test JVM: unless {@code -Dcharlatan.classData=false}.
   *
   * @throws IllegalArgumentException if the property is neither true nor false
   */
  static boolean enabledBySystemProperty() {
    return Switches.on(SWITCH_PROPERTY, "turns class-data archives off");
  }

  /** The directory of archives: {@code -Dcharlatan.classData.dir}, else the default. */
  static Path defaultDirectory() {
    String value = System.getProperty(DIRECTORY_PROPERTY);
    return (value == null || value.isBlank() ? DEFAULT_DIRECTORY : Path.of(value)).toAbsolutePath();
  }

  /**
   * The archive for a service, or empty when it cannot have one: a JDK older than 17 or without a
   * {@code release} file, a class path with a non-empty directory before a jar (the JVM archives
   * classes from jar files only, and maps an archive only when the class path starts with the jars
   * it was made from; directories at the end are read at each start, see {@link JarsFirst}), or JVM
   * options that manage class data themselves.
   *
   * @param classPath the class path entries, or for a jar the jar alone
   * @param options the JVM options given for the service (they are part of the key)
   * @param agent whether a Java agent is added (also part of the key)
   */
  static Optional<Path> archiveFor(
      Path directory,
      String name,
      Path javaHome,
      List<Path> classPath,
      List<String> options,
      boolean agent) {
    if (options.stream().anyMatch(o -> OWN_CDS_OPTIONS.stream().anyMatch(o::startsWith))) {
      LOG.debug("No class-data archive for {}: its JVM options manage class data", name);
      return Optional.empty();
    }
    if (!Files.isExecutable(SHELL)) {
      LOG.debug("No class-data archive for {}: there is no {} to publish it with", name, SHELL);
      return Optional.empty();
    }
    Optional<String> version = javaVersion(javaHome);
    int release = version.map(ClassData::feature).orElse(0);
    if (release < FIRST_RELEASE) {
      LOG.debug("No class-data archive for {}: JDK {} is not 17 or newer", name, javaHome);
      return Optional.empty();
    }
    MessageDigest digest = sha256();
    update(digest, "jdk " + javaHome.toAbsolutePath() + " " + version.get());
    libjvm(javaHome).ifPresent(lib -> update(digest, "libjvm " + fileStamp(lib)));
    update(digest, "agent " + agent);
    options.forEach(option -> update(digest, "option " + option));
    List<Path> entries = new ArrayList<>();
    classPath.forEach(entry -> expand(entry.toAbsolutePath().normalize(), entries));
    Path classes = null;
    for (Path entry : entries) {
      if (Files.isDirectory(entry) && !isEmptyDirectory(entry)) {
        // Its classes are read at each start, not archived: only its place is part of the key.
        classes = entry;
        update(digest, "classes " + entry);
      } else if (classes != null) {
        LOG.debug(
            "No class-data archive for {}: its class path has the non-empty directory {} before"
                + " {}, and the JVM archives classes from jar files at the start of the class path"
                + " only",
            name,
            classes,
            entry);
        return Optional.empty();
      } else if (Files.isDirectory(entry)) {
        update(digest, "empty " + entry);
      } else if (Files.isRegularFile(entry)) {
        // Size and modification time, as the JVM checks them when it maps the archive: hashing
        // every library jar's content cost a test JVM half a second at its first start.
        update(digest, "jar " + entry + " " + fileStamp(entry));
      } else {
        update(digest, "absent " + entry);
      }
    }
    String key = HexFormat.of().formatHex(digest.digest(), 0, 8);
    String safeName = name.replaceAll("[^A-Za-z0-9._-]", "_");
    String extension = release >= AOT_RELEASE ? ".aot" : ".jsa";
    return Optional.of(directory.resolve(safeName + "-" + release + "-" + key + extension));
  }

  /** The flags for one start of the command, and what to do when it is ready and has ended. */
  static Launch prepare(List<String> command) {
    int at = -1;
    for (int i = 1; i < command.size(); i++) {
      if (command.get(i).startsWith(MARKER)) {
        at = i;
        break;
      }
      if (command.get(i).equals("-jar") || command.get(i).equals("-cp")) {
        break;
      }
    }
    if (at < 0) {
      return new Launch(command, null, Mode.NONE, null, null);
    }
    Path archive = Path.of(command.get(at).substring(MARKER.length()));
    boolean aot = archive.getFileName().toString().endsWith(".aot");
    if (Files.isRegularFile(archive)) {
      List<String> flags =
          aot
              ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
              : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
      return new Launch(insert(command, at, flags), archive, Mode.USE, stamp(archive), null);
    }
    Optional<FileLock> lock = claim(archive);
    if (lock.isEmpty()) {
      LOG.debug("Class-data archive {} is being made elsewhere; starting without", archive);
      return new Launch(command, archive, Mode.NONE, null, null);
    }
    Path record =
        archive.resolveSibling(
            archive.getFileName() + "." + UUID.randomUUID() + (aot ? ".aotconf" : ".classlist"));
    List<String> flags =
        aot
            ? List.of(
                "-XX:AOTMode=record",
                "-XX:AOTConfiguration=" + record,
                "-Xlog:aot=off",
                "-Xlog:cds=off")
            : List.of("-XX:DumpLoadedClassList=" + record, "-Xlog:cds=off");
    return new Launch(insert(command, at, flags), archive, Mode.RECORD, null, record);
  }

  private static List<String> insert(List<String> command, int at, List<String> flags) {
    List<String> changed = new ArrayList<>(command);
    changed.addAll(at + 1, flags);
    return List.copyOf(changed);
  }

  private static Optional<FileLock> claim(Path archive) {
    Path lockFile = archive.resolveSibling(archive.getFileName() + ".lock");
    synchronized (CLAIMS) {
      if (CLAIMS.containsKey(archive)) {
        return Optional.empty();
      }
      FileChannel channel = null;
      try {
        Files.createDirectories(archive.getParent());
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          channel.close();
          return Optional.empty();
        }
        // Another holder may have published it between our look and our lock.
        if (Files.isRegularFile(archive)) {
          lock.release();
          channel.close();
          return Optional.empty();
        }
        CLAIMS.put(archive, lock);
        return Optional.of(lock);
      } catch (IOException | OverlappingFileLockException e) {
        LOG.debug("Could not lock {}; starting without a class-data archive", lockFile, e);
        closeQuietly(channel);
        return Optional.empty();
      }
    }
  }

  private static void release(Path archive) {
    synchronized (CLAIMS) {
      FileLock lock = CLAIMS.remove(archive);
      if (lock != null) {
        closeQuietly(lock.channel());
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Could not close a lock file", e);
    }
  }

  enum Mode {
    NONE,
    USE,
    RECORD
  }

  /** One start's class-data flags and their follow-up. */
  static final class Launch {
    private final List<String> command;
    private final Path archive;
    private final Mode mode;
    private final FileTime archiveStamp;
    private final Path record;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean ready;

    private Launch(
        List<String> command, Path archive, Mode mode, FileTime archiveStamp, Path record) {
      this.command = command;
      this.archive = archive;
      this.mode = mode;
      this.archiveStamp = archiveStamp;
      this.record = record;
    }

    /** The command to run, with the flags of this start. */
    List<String> command() {
      return command;
    }

    Mode mode() {
      return mode;
    }

    /**
     * The stop grace for this start: at least {@link #RECORD_GRACE} for a recording JVM on Java
     * 24+, which writes its AOT configuration as it exits (seconds for a large service, and a KILL
     * would lose it); zero stays zero.
     */
    Duration stopGrace(Duration grace) {
      boolean aot = archive != null && archive.getFileName().toString().endsWith(".aot");
      if (mode != Mode.RECORD || !aot || grace.isZero() || grace.compareTo(RECORD_GRACE) >= 0) {
        return grace;
      }
      return RECORD_GRACE;
    }

    /**
     * Called once the service is ready: an archive the JVM did not map is deleted, so that the next
     * start makes a new one.
     */
    void ready(long pid) {
      ready = true;
      if (mode != Mode.USE) {
        return;
      }
      Path maps = Path.of("/proc", Long.toString(pid), "maps");
      if (!Files.isReadable(maps)) {
        return;
      }
      try {
        String mapped = Files.readString(maps, StandardCharsets.ISO_8859_1);
        if (!mapped.contains(archive.toString())) {
          LOG.info(
              "The JVM did not use the class-data archive {} (made for another JDK or class"
                  + " path?); it is deleted, and the next start makes a new one",
              archive);
          discard();
        }
      } catch (IOException e) {
        LOG.debug("Could not read {}", maps, e);
      }
    }

    /**
     * Whether a start that ended before it was ready crashed the JVM while mapping the archive; the
     * archive is then deleted, and the start is to be made again without one.
     */
    boolean crashedOnArchive(int exitCode, List<String> output) {
      if (mode != Mode.USE) {
        return false;
      }
      boolean crashed =
          exitCode == 134
              || output.stream()
                  .anyMatch(line -> line.contains("A fatal error has been detected by the Java"));
      if (crashed) {
        LOG.warn(
            "The JVM crashed while mapping the class-data archive {} (exit code {}); it is"
                + " deleted and the service started again without it",
            archive,
            exitCode);
        discard();
      }
      return crashed;
    }

    private void discard() {
      try {
        if (stamp(archive).equals(archiveStamp)) {
          Files.deleteIfExists(archive);
        }
      } catch (IOException e) {
        LOG.debug("Could not delete {}", archive, e);
      }
    }

    /**
     * Called once the service's JVM has exited: after a recording start that was ready, assembles
     * the archive in a JVM of its own (in the background: the lock is released when it is done).
     */
    // Synchronized: the exit callback and stop() both call this, and stop() must not return (the
    // JVM may then exit) before the assembling JVM has been started by either of them.
    synchronized void exited() {
      if (mode != Mode.RECORD || !ended.compareAndSet(false, true)) {
        return;
      }
      try {
        if (!ready || !Files.isRegularFile(record) || Files.size(record) == 0) {
          LOG.debug("No class-data archive from this start of {}: it recorded nothing", archive);
          Files.deleteIfExists(record);
          release(archive);
          return;
        }
        prune(archive, KEPT_PER_SERVICE);
        assemble();
      } catch (IOException | RuntimeException e) {
        LOG.info("Could not make the class-data archive {}: {}", archive, e.toString());
        deleteQuietly(record);
        release(archive);
      }
    }

    private void assemble() throws IOException {
      Path temporary =
          archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
      Path log = archive.resolveSibling(archive.getFileName() + ".log");
      boolean aot = archive.getFileName().toString().endsWith(".aot");
      List<String> dump = new ArrayList<>();
      dump.add(command.get(0));
      // JavaCommand puts the class path (or the jar) after the JVM options, and its value next.
      int end = command.indexOf("-jar") >= 0 ? command.indexOf("-jar") : command.indexOf("-cp");
      // The jars only: the JVM refuses to archive with a non-empty directory on the class path,
      // and the directories at its end are read at each start.
      String classPath =
          Stream.of(command.get(end + 1).split(java.io.File.pathSeparator, -1))
              .filter(
                  entry -> !Files.isDirectory(Path.of(entry)) || isEmptyDirectory(Path.of(entry)))
              .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
      boolean agent = false;
      for (String option : command.subList(1, end)) {
        agent |= option.startsWith("-javaagent:");
        if (NOT_FOR_ASSEMBLY.stream().noneMatch(option::startsWith)) {
          dump.add(option);
        }
      }
      if (aot) {
        // A Java agent adds java.instrument to the boot layer; the cache must be made with it, or
        // the JVM disables its optimized module handling when an agent is present.
        if (agent) {
          dump.add("--add-modules=java.instrument");
        }
        dump.addAll(
            List.of(
                "-XX:AOTMode=create",
                "-XX:AOTConfiguration=" + record,
                "-XX:AOTCache=" + temporary));
      } else {
        dump.addAll(
            List.of(
                "-Xshare:dump",
                "-XX:SharedClassListFile=" + record,
                "-XX:SharedArchiveFile=" + temporary));
      }
      dump.add("-cp");
      dump.add(classPath);
      // The shell renames the archive into place, so that it is published even when this JVM
      // exits first (a Surefire fork whose services stop at its shutdown).
      List<String> shell = new ArrayList<>();
      shell.add(SHELL.toString());
      shell.add("-c");
      shell.add(
          "\"$@\" && mv -f \"$CHARLATAN_TMP\" \"$CHARLATAN_ARCHIVE\";"
              + " rm -f \"$CHARLATAN_TMP\" \"$CHARLATAN_RECORD\"");
      shell.add("sh");
      shell.addAll(dump);
      ProcessBuilder builder =
          new ProcessBuilder(shell)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().put("CHARLATAN_TMP", temporary.toString());
      builder.environment().put("CHARLATAN_ARCHIVE", archive.toString());
      builder.environment().put("CHARLATAN_RECORD", record.toString());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IOException("could not run " + dump + ": " + e.getMessage(), e);
      }
      LOG.debug("Making the class-data archive {} (pid {}): {}", archive, process.pid(), dump);
      var unused =
          process
              .onExit()
              .thenRun(
                  () -> {
                    if (Files.isRegularFile(archive)) {
                      LOG.debug("Made the class-data archive {}", archive);
                    } else {
                      LOG.info("Could not make the class-data archive {}; see {}", archive, log);
                    }
                    release(archive);
                  });
    }
  }

  /**
   * Deletes the oldest archives of the same service and JDK release beyond the newest {@code kept}
   * (a rebuilt jar gives a new key each time, and a Spring Boot archive is 80 MB). A JVM that maps
   * one keeps its copy: the file goes only when it is unmapped.
   */
  static void prune(Path archive, int kept) {
    String name = archive.getFileName().toString();
    int key = name.lastIndexOf('-');
    String prefix = name.substring(0, key + 1);
    String extension = name.substring(name.lastIndexOf('.'));
    try (Stream<Path> siblings = Files.list(archive.getParent())) {
      List<Path> same =
          siblings
              .filter(f -> !f.equals(archive))
              .filter(f -> f.getFileName().toString().startsWith(prefix))
              .filter(f -> f.getFileName().toString().endsWith(extension))
              .filter(f -> f.getFileName().toString().length() == name.length())
              .sorted(Comparator.comparing(ClassData::stamp).reversed())
              .toList();
      for (Path old : same.subList(Math.min(same.size(), kept - 1), same.size())) {
        LOG.debug("Deleting the old class-data archive {}", old);
        deleteQuietly(old);
      }
    } catch (IOException e) {
      LOG.debug("Could not list {}", archive.getParent(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("Could not delete {}", file, e);
    }
  }

  private static FileTime stamp(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** {@code JAVA_VERSION} of a JDK's {@code release} file, e.g. {@code 17.0.15}. */
  static Optional<String> javaVersion(Path javaHome) {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String version = properties.getProperty("JAVA_VERSION");
    return version == null ? Optional.empty() : Optional.of(version.replace("\"", "").trim());
  }

  /** The feature release of a version string: 17 for {@code 17.0.15}, 25 for {@code 25}. */
  static int feature(String version) {
    String first = version.split("[.+-]", 2)[0];
    try {
      int feature = Integer.parseInt(first);
      return feature == 1 ? 0 : feature;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Path> libjvm(Path javaHome) {
    Path server = javaHome.resolve("lib").resolve("server");
    for (String name : List.of("libjvm.so", "libjvm.dylib", "jvm.dll")) {
      if (Files.isRegularFile(server.resolve(name))) {
        return Optional.of(server.resolve(name));
      }
    }
    return Optional.empty();
  }

  /** A jar and the jars its manifest's {@code Class-Path} names, as the JVM would read them. */
  private static void expand(Path entry, List<Path> entries) {
    if (entries.contains(entry)) {
      return;
    }
    entries.add(entry);
    if (!Files.isRegularFile(entry)) {
      return;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      String classPath =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (classPath == null) {
        return;
      }
      for (String relative : WHITESPACE.split(classPath.trim(), -1)) {
        if (!relative.isEmpty() && !relative.contains(":")) {
          expand(entry.resolveSibling(relative).normalize(), entries);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not a jar: the JVM ignores it too; its content is still hashed.
    }
  }

  private static boolean isEmptyDirectory(Path directory) {
    try (Stream<Path> children = Files.list(directory)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static String fileStamp(Path file) {
    try {
      return Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /** SHA-256 of a file's content, remembered per path, size and modification time. */
  static String contentHash(Path file) {
    return FILE_HASHES.computeIfAbsent(
        file + "|" + fileStamp(file),
        unused -> {
          MessageDigest digest = sha256();
          byte[] buffer = new byte[1 << 16];
          try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
              digest.update(buffer, 0, n);
            }
          } catch (IOException e) {
            return "unreadable";
          }
          return HexFormat.of().formatHex(digest.digest());
        });
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
