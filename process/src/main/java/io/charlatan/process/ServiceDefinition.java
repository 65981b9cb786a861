package io.charlatan.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.event.Level;

/**
 * What to run as a service and how to tell that it is ready: an immutable value, reusable for any
 * number of {@link ServiceProcess} starts.
 *
 * <p>{@code {port}} in the command's arguments and in environment values is replaced by the port
 * given with {@link Builder#port(int)}, or by a free port that Charlatan chooses. In a {@link
 * ServiceGroup}, {@code {port:NAME}} is replaced by the port of the service named NAME.
 *
 * <pre>{@code
 * ServiceDefinition web = ServiceDefinition.command("python3", "-m", "http.server", "{port}")
 *     .name("web")
 *     .ready(Ready.whenHttp("/").returns(200))
 *     .build();
 * try (ServiceProcess process = ServiceProcess.start(web)) {
 *   System.out.println(process.url());
 * }
 * }</pre>
 */
public final class ServiceDefinition {

  /** Default time a service has to become ready: 30 seconds. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  /** Default time between SIGTERM and SIGKILL when stopping: 5 seconds. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

  /** Default number of lines kept for error messages and {@link ServiceProcess#recentOutput()}. */
  public static final int DEFAULT_OUTPUT_LINES = 50;

  /** Default number of ports tried when a chosen port turns out to be taken: 3. */
  public static final int DEFAULT_PORT_ATTEMPTS = 3;

  private final List<String> command;
  private final String name;
  private final Map<String, String> environment;
  private final boolean inheritEnvironment;
  private final Path workingDirectory;
  private final int port;
  private final String host;
  private final String scheme;
  private final Level outputLevel;
  private final Ready ready;
  private final Duration startTimeout;
  private final Duration stopGrace;
  private final Duration pollInterval;
  private final int outputLines;
  private final Path logFile;
  private final int portAttempts;
  private final boolean verifyPortOwner;

  private ServiceDefinition(Builder builder) {
    this.command = List.copyOf(builder.command);
    this.name = builder.name != null ? builder.name : defaultName(command);
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(builder.environment));
    this.inheritEnvironment = builder.inheritEnvironment;
    this.workingDirectory = builder.workingDirectory;
    this.port = builder.port;
    this.host = builder.host;
    this.scheme = builder.scheme;
    this.outputLevel = builder.outputLevel;
    this.ready = builder.ready;
    this.startTimeout = builder.startTimeout;
    this.stopGrace = builder.stopGrace;
    this.pollInterval = builder.pollInterval;
    this.outputLines = builder.outputLines;
    this.logFile = builder.logFile;
    this.portAttempts = builder.portAttempts;
    this.verifyPortOwner = builder.verifyPortOwner;
  }

  /**
   * Starts a definition of the given command, run directly (no shell).
   *
   * @param command the executable and its arguments; {@code {port}} is substituted
   * @throws IllegalArgumentException if the command is null, empty, or has a null or blank
   *     executable
   */
  public static Builder command(String... command) {
    if (command == null) {
      throw new IllegalArgumentException(
          "command is null: give the executable and its arguments, e.g. command(\"java\", \"-jar\","
              + " \"app.jar\")");
    }
    return command(List.of(nonNullElements(command)));
  }

  /**
   * Starts a definition of the given command, run directly (no shell).
   *
   * @param command the executable and its arguments; {@code {port}} is substituted
   * @throws IllegalArgumentException if the command is null, empty, or has a null or blank
   *     executable
   */
  public static Builder command(List<String> command) {
    return new Builder(command);
  }

  /**
   * Starts a definition of a command given as one line, split into arguments the way a shell would
   * split it (whitespace, single and double quotes, backslash escapes) but run without a shell: no
   * variables, globs, pipes or redirections.
   *
   * @param commandLine e.g. {@code "java -jar 'my app.jar' --port {port}"}
   * @throws IllegalArgumentException if the line is null, blank, or has an unclosed quote
   */
  public static Builder commandLine(String commandLine) {
    return new Builder(CommandLine.split(commandLine));
  }

  /** The command as given, before {@code {port}} substitution; never null or empty. */
  public List<String> command() {
    return command;
  }

  /** The name used in logs and errors; by default the executable's file name. */
  public String name() {
    return name;
  }

  /** Environment variables set for the service (values before substitution); never null. */
  public Map<String, String> environment() {
    return environment;
  }

  /** Whether the service inherits the test JVM's environment; true by default. */
  public boolean inheritsEnvironment() {
    return inheritEnvironment;
  }

  /** The working directory, or empty for the test JVM's. */
  public Optional<Path> workingDirectory() {
    return Optional.ofNullable(workingDirectory);
  }

  /** The fixed port, or empty when Charlatan chooses a free one. */
  public OptionalInt port() {
    return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /** The host the service is reached on; {@code 127.0.0.1} by default. */
  public String host() {
    return host;
  }

  /** The scheme of the service's URL; {@code http} by default. */
  public String scheme() {
    return scheme;
  }

  /** The level its output lines are logged at; {@code INFO} by default. */
  public Level outputLevel() {
    return outputLevel;
  }

  /** How readiness is decided; {@link Ready#whenPortOpen()} by default. */
  public Ready ready() {
    return ready;
  }

  /** How long the service has to become ready; {@link #DEFAULT_START_TIMEOUT} by default. */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** Time between SIGTERM and SIGKILL on stop; {@link #DEFAULT_STOP_GRACE} by default. */
  public Duration stopGrace() {
    return stopGrace;
  }

  /** Time between readiness checks; 2 ms by default. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** Number of output lines kept for errors; {@link #DEFAULT_OUTPUT_LINES} by default. */
  public int outputLines() {
    return outputLines;
  }

  /** The file the output is also written to, or empty (the default) for none. */
  public Optional<Path> logFile() {
    return Optional.ofNullable(logFile);
  }

  /** Ports tried when a chosen port is taken; {@link #DEFAULT_PORT_ATTEMPTS} by default. */
  public int portAttempts() {
    return portAttempts;
  }

  /** Whether readiness also requires the service to own its port's listener; false by default. */
  public boolean verifiesPortOwner() {
    return verifyPortOwner;
  }

  /** A builder holding this definition's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder(command);
    builder.name = name;
    builder.environment.putAll(environment);
    builder.inheritEnvironment = inheritEnvironment;
    builder.workingDirectory = workingDirectory;
    builder.port = port;
    builder.host = host;
    builder.scheme = scheme;
    builder.outputLevel = outputLevel;
    builder.ready = ready;
    builder.startTimeout = startTimeout;
    builder.stopGrace = stopGrace;
    builder.pollInterval = pollInterval;
    builder.outputLines = outputLines;
    builder.logFile = logFile;
    builder.portAttempts = portAttempts;
    builder.verifyPortOwner = verifyPortOwner;
    return builder;
  }

  @Override
  public String toString() {
    return "ServiceDefinition[" + name + ": " + command + "]";
  }

  private static String defaultName(List<String> command) {
    String executable = command.get(0);
    int slash = Math.max(executable.lastIndexOf('/'), executable.lastIndexOf('\\'));
    return executable.substring(slash + 1);
  }

  private static String[] nonNullElements(String[] command) {
    for (int i = 0; i < command.length; i++) {
      if (command[i] == null) {
        throw new IllegalArgumentException(
            "command argument "
                + i
                + " is null in "
                + java.util.Arrays.toString(command)
                + ": pass an empty string if an empty argument is meant");
      }
    }
    return command;
  }

  /** Builds a {@link ServiceDefinition}; each setter checks its value at once. */
  public static final class Builder {
    private final List<String> command;
    private String name;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean inheritEnvironment = true;
    private Path workingDirectory;
    private int port;
    private String host = "127.0.0.1";
    private String scheme = "http";
    private Level outputLevel = Level.INFO;
    private Ready ready = Ready.whenPortOpen();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration stopGrace = DEFAULT_STOP_GRACE;
    private Duration pollInterval = Duration.ofMillis(2);
    private int outputLines = DEFAULT_OUTPUT_LINES;
    private Path logFile;
    private int portAttempts = DEFAULT_PORT_ATTEMPTS;
    private boolean verifyPortOwner;

    private Builder(List<String> command) {
      if (command == null || command.isEmpty()) {
        throw new IllegalArgumentException(
            "command is "
                + (command == null ? "null" : "empty")
                + ": give the executable and its arguments, e.g. command(\"java\", \"-jar\","
                + " \"app.jar\")");
      }
      List<String> copy = new ArrayList<>(command.size());
      for (int i = 0; i < command.size(); i++) {
        String argument = command.get(i);
        if (argument == null) {
          throw new IllegalArgumentException(
              "command argument "
                  + i
                  + " is null in "
                  + command
                  + ": pass an empty string if an empty argument is meant");
        }
        copy.add(argument);
      }
      if (copy.get(0).isBlank()) {
        throw new IllegalArgumentException(
            "the executable (first element of " + command + ") is blank: name a program");
      }
      this.command = copy;
    }

    /** Names the service in logs, errors and log file names; default: the executable's name. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name (" + name + ") must not be null or blank");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets an environment variable; {@code {port}} in the value is substituted.
     *
     * @throws IllegalArgumentException if the name is null, blank or contains '=', or the value is
     *     null
     */
    public Builder env(String name, String value) {
      if (name == null || name.isBlank() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException(
            "environment variable name (" + name + ") must be non-blank and without '='");
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "value of environment variable " + name + " is null: use \"\" for an empty value");
      }
      environment.put(name, value);
      return this;
    }

    /** Sets all the given environment variables, as {@link #env(String, String)} does. */
    public Builder env(Map<String, String> variables) {
      Objects.requireNonNull(variables, "variables");
      variables.forEach(this::env);
      return this;
    }

    /**
     * Whether the service inherits the test JVM's environment (default true). With false, it sees
     * only the variables set with {@link #env(String, String)}.
     */
    public Builder inheritEnvironment(boolean inherit) {
      this.inheritEnvironment = inherit;
      return this;
    }

    /** Runs the service in the given directory (default: the test JVM's working directory). */
    public Builder workingDirectory(Path directory) {
      if (directory == null) {
        throw new IllegalArgumentException("working directory is null");
      }
      this.workingDirectory = directory;
      return this;
    }

    /**
     * Uses a fixed port instead of a free one chosen by Charlatan.
     *
     * @throws IllegalArgumentException unless 1 &lt;= port &lt;= 65535
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "port ("
                + port
                + ") must be between 1 and 65535; leave it unset to let Charlatan choose a free"
                + " port");
      }
      this.port = port;
      return this;
    }

    /** The host the service is reached on (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host (" + host + ") must not be null or blank");
      }
      this.host = host;
      return this;
    }

    /**
     * The scheme of the service's URL (default {@code http}): {@code https} for a TLS service,
     * {@code redis} for Redis, so that {@link ServiceProcess#url()} and its logs name what clients
     * speak.
     *
     * @throws IllegalArgumentException if it is not a URI scheme (a letter, then letters, digits,
     *     {@code +}, {@code -} or {@code .})
     */
    public Builder scheme(String scheme) {
      if (scheme == null || !scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
        throw new IllegalArgumentException(
            "scheme ("
                + scheme
                + ") must be a URI scheme such as http, https or redis, without \"://\"");
      }
      this.scheme = scheme;
      return this;
    }

    /**
     * The SLF4J level the service's output lines are logged at, under {@code
     * io.charlatan.service.<name>} (default {@code INFO}). A tool's own chatter, such as a backing
     * server's banner, reads better at {@code DEBUG}; the lines are kept for failure reports at any
     * level.
     *
     * @throws IllegalArgumentException if the level is null
     */
    public Builder outputLevel(Level level) {
      if (level == null) {
        throw new IllegalArgumentException("output level is null: pass e.g. Level.DEBUG");
      }
      this.outputLevel = level;
      return this;
    }

    /** How readiness is decided (default {@link Ready#whenPortOpen()}). */
    public Builder ready(Ready ready) {
      if (ready == null) {
        throw new IllegalArgumentException(
            "ready is null: use Ready.immediately() for a process that serves no port");
      }
      this.ready = ready;
      return this;
    }

    /** How long the service has to become ready (default 30 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive("start timeout", timeout);
      return this;
    }

    /** Time between SIGTERM and SIGKILL when stopping (default 5 s; zero kills at once). */
    public Builder stopGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException(
            "stop grace (" + grace + ") must be zero or positive, e.g. Duration.ofSeconds(5)");
      }
      this.stopGrace = grace;
      return this;
    }

    /** Time between readiness checks (default 2 ms). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive("poll interval", interval);
      return this;
    }

    /** Number of output lines kept for errors and {@link ServiceProcess#recentOutput()}. */
    public Builder outputLines(int lines) {
      if (lines < 1) {
        throw new IllegalArgumentException("output lines (" + lines + ") must be at least 1");
      }
      this.outputLines = lines;
      return this;
    }

    /** Also writes every output line to this file, replacing it at each start. */
    public Builder logFile(Path file) {
      if (file == null) {
        throw new IllegalArgumentException("log file is null");
      }
      this.logFile = file;
      return this;
    }

    /** Ports tried in all when a chosen port turns out to be taken (default 3). */
    public Builder portAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("port attempts (" + attempts + ") must be at least 1");
      }
      this.portAttempts = attempts;
      return this;
    }

    /**
     * Whether the service counts as ready only once its own process tree listens on its port
     * (default false). It guards against a program that grabbed the port between Charlatan's choice
     * and the service's bind, which would otherwise answer the readiness check. Linux only (it
     * reads {@code /proc}); it costs about 4 ms per start on a machine with much memory, where the
     * kernel's connection table is large.
     */
    public Builder verifyPortOwner(boolean verify) {
      this.verifyPortOwner = verify;
      return this;
    }

    /** The immutable definition. */
    public ServiceDefinition build() {
      return new ServiceDefinition(this);
    }

    private static Duration positive(String what, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            what + " (" + value + ") must be positive, e.g. Duration.ofSeconds(10)");
      }
      return value;
    }
  }
}
