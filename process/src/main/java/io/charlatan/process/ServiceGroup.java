package io.charlatan.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several services started together: each as soon as the services it depends on are ready, all
 * others in parallel, under one overall timeout. If one fails, the others are stopped and the error
 * names the one that failed and why. Stopping stops them in reverse order of readiness.
 *
 * <p>A service can use the port of a service it depends on: {@code {port:NAME}} in its arguments or
 * environment values.
 *
 * <pre>{@code
 * ServiceDefinition redis =
 *     ServiceDefinition.command("redis-server", "--port", "{port}").name("redis").build();
 * ServiceDefinition das =
 *     ServiceDefinition.command("java", "-jar", "das.jar")
 *         .name("das")
 *         .env("PORT", "{port}")
 *         .env("REDIS_URL", "redis://127.0.0.1:{port:redis}")
 *         .build();
 * try (ServiceGroup system =
 *     ServiceGroup.builder().add(redis).add(das, "redis").build().start()) {
 *   URI url = system.get("das").url();
 * }
 * }</pre>
 */
public final class ServiceGroup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceGroup.class);

  /** Default time for the whole group to become ready: 60 seconds. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, ServiceDefinition> definitions;
  private final Map<String, List<String>> dependencies;
  private final Duration startTimeout;
  private final Map<String, ServiceProcess> processes = new HashMap<>();
  private final List<ServiceProcess> readyOrder = Collections.synchronizedList(new ArrayList<>());
  private boolean started;

  private ServiceGroup(Builder builder) {
    this.definitions = Collections.unmodifiableMap(new LinkedHashMap<>(builder.definitions));
    this.dependencies = Map.copyOf(builder.dependencies);
    this.startTimeout = builder.startTimeout;
  }

  /** A builder of a group; services are added by definition, named by their names. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every service, dependencies first, and waits until all are ready. Returns at once if the
   * group was already started.
   *
   * @return this group
   * @throws ServiceStartException naming the service that failed (after stopping all others), or
   *     the services still starting when the overall timeout passed
   */
  public synchronized ServiceGroup start() {
    if (started) {
      return this;
    }
    ExecutorService threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "charlatan-group-start");
              thread.setDaemon(true);
              return thread;
            });
    Map<String, CompletableFuture<ServiceProcess>> futures = new LinkedHashMap<>();
    for (String name : definitions.keySet()) {
      futures.put(name, new CompletableFuture<>());
    }
    for (String name : definitions.keySet()) {
      var unused = threads.submit(() -> startOne(name, futures));
    }
    // allOf waits for every start even after one failed; the first failure must end the wait.
    CompletableFuture<Void> firstFailure = new CompletableFuture<>();
    for (CompletableFuture<ServiceProcess> future : futures.values()) {
      var unused =
          future.whenComplete(
              (process, error) -> {
                if (error != null) {
                  firstFailure.completeExceptionally(error);
                }
              });
    }
    try {
      CompletableFuture.anyOf(
              CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)),
              firstFailure)
          .get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
      started = true;
      return this;
    } catch (ExecutionException e) {
      throw abort(threads, firstFailure(futures));
    } catch (TimeoutException e) {
      List<String> pending = new ArrayList<>();
      futures.forEach(
          (name, future) -> {
            if (!future.isDone()) {
              pending.add(name);
            }
          });
      throw abort(
          threads,
          new ServiceStartException(
              String.join(", ", pending),
              "did not become ready within the group's start timeout of "
                  + startTimeout.toMillis()
                  + " ms; the whole group was stopped",
              List.of(),
              null,
              List.of(),
              null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw abort(
          threads,
          new ServiceStartException(
              "group",
              "start was interrupted; the group was stopped",
              List.of(),
              null,
              List.of(),
              e));
    } finally {
      threads.shutdown();
    }
  }

  private void startOne(String name, Map<String, CompletableFuture<ServiceProcess>> futures) {
    try {
      Map<String, Integer> ports = new HashMap<>();
      for (String dependency : dependencies.get(name)) {
        ports.put(dependency, futures.get(dependency).get().port());
      }
      ServiceProcess process = new ServiceProcess(definitions.get(name), Ports.SHARED, ports);
      synchronized (processes) {
        processes.put(name, process);
      }
      process.start();
      readyOrder.add(process);
      futures.get(name).complete(process);
    } catch (InterruptedException e) {
      futures.get(name).completeExceptionally(e);
    } catch (ExecutionException dependencyFailed) {
      futures.get(name).completeExceptionally(dependencyFailed.getCause());
    } catch (RuntimeException e) {
      futures.get(name).completeExceptionally(e);
    }
  }

  private static ServiceStartException firstFailure(
      Map<String, CompletableFuture<ServiceProcess>> futures) {
    // The service that failed by itself, not one that only saw a dependency fail.
    for (Map.Entry<String, CompletableFuture<ServiceProcess>> entry : futures.entrySet()) {
      CompletableFuture<ServiceProcess> future = entry.getValue();
      if (future.isCompletedExceptionally()) {
        Throwable cause = future.handle((value, error) -> error).join();
        if (cause instanceof ServiceStartException failure) {
          return failure;
        }
        if (!(cause instanceof InterruptedException)) {
          return new ServiceStartException(
              entry.getKey(), "could not be started: " + cause, List.of(), null, List.of(), cause);
        }
      }
    }
    return new ServiceStartException(
        "group", "failed for an unknown reason", List.of(), null, List.of(), null);
  }

  private ServiceStartException abort(ExecutorService threads, ServiceStartException cause) {
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Some services of the group were still starting after the abort");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> stopped = stopAll();
    LOG.error(
        "Service group failed because of '{}'; stopped the others: {}",
        cause.serviceName(),
        stopped);
    return cause;
  }

  /**
   * A service of the started group.
   *
   * @throws IllegalArgumentException if the group has no service of that name
   * @throws IllegalStateException if the group was not started
   */
  public ServiceProcess get(String name) {
    if (!definitions.containsKey(name)) {
      throw new IllegalArgumentException(
          "no service named '" + name + "' in the group; it has " + definitions.keySet());
    }
    synchronized (processes) {
      ServiceProcess process = processes.get(name);
      if (process == null || !started) {
        throw new IllegalStateException("the group was not started: call start() first");
      }
      return process;
    }
  }

  /** Stops all services in reverse order of readiness; idempotent. */
  public synchronized void stop() {
    stopAll();
    started = false;
  }

  private List<String> stopAll() {
    List<ServiceProcess> order;
    synchronized (readyOrder) {
      order = new ArrayList<>(readyOrder);
      readyOrder.clear();
    }
    Collections.reverse(order);
    List<String> stopped = new ArrayList<>();
    for (ServiceProcess process : order) {
      process.stop();
      stopped.add(process.name());
    }
    synchronized (processes) {
      for (ServiceProcess process : processes.values()) {
        if (!order.contains(process)) {
          process.stop();
        }
      }
    }
    return stopped;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Builds a {@link ServiceGroup}; checks names and dependencies as they are added. */
  public static final class Builder {
    private final Map<String, ServiceDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, List<String>> dependencies = new HashMap<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;

    private Builder() {}

    /**
     * Adds a service, named by its definition's name, started after the named services.
     *
     * @throws IllegalArgumentException if the name is already in the group, or a dependency is not
     *     (add dependencies first; this also rules out cycles)
     */
    public Builder add(ServiceDefinition definition, String... dependsOn) {
      if (definition == null) {
        throw new IllegalArgumentException("definition is null");
      }
      String name = definition.name();
      if (definitions.containsKey(name)) {
        throw new IllegalArgumentException(
            "the group already has a service named '"
                + name
                + "'; give each a distinct name with ServiceDefinition.Builder.name(...)");
      }
      List<String> after = List.of(dependsOn == null ? new String[0] : dependsOn);
      for (String dependency : after) {
        if (!definitions.containsKey(dependency)) {
          throw new IllegalArgumentException(
              "service '"
                  + name
                  + "' depends on '"
                  + dependency
                  + "', which is not in the group yet; add it first (group has "
                  + definitions.keySet()
                  + ")");
        }
      }
      definitions.put(name, definition);
      dependencies.put(name, after);
      return this;
    }

    /** Time for the whole group to become ready (default 60 s). */
    public Builder startTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "group start timeout (" + timeout + ") must be positive, e.g. Duration.ofSeconds(60)");
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * The group, not yet started.
     *
     * @throws IllegalArgumentException if no service was added
     */
    public ServiceGroup build() {
      if (definitions.isEmpty()) {
        throw new IllegalArgumentException("a service group needs at least one service");
      }
      return new ServiceGroup(this);
    }
  }
}
