package io.charlatan.backing;

import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster for tests: masters (3 by default) sharing the 16,384 slots evenly, optional
 * replicas, each node a {@code redis-server} on free ports of 127.0.0.1 (its cluster bus on the
 * port 10000 higher), formed over the cluster's own commands (no {@code redis-cli} needed), ready
 * when every node says {@code cluster_state:ok}. Closing it stops every node and deletes its files.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *   // give cluster.nodes() to a cluster client (the seeds); between tests: cluster.reset();
 *   // failover: cluster.masters().get(0).close(); cluster.awaitHealthy(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class RedisCluster implements Running, Resettable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
  private static final String HOST = "127.0.0.1";
  private static final int SLOTS = 16_384;
  private static final int BUS_OFFSET = 10_000;

  private final List<RedisServer> masters;
  private final List<RedisServer> replicas;
  private final Duration timeout;

  private RedisCluster(List<RedisServer> masters, List<RedisServer> replicas, Duration timeout) {
    this.masters = List.copyOf(masters);
    this.replicas = List.copyOf(replicas);
    this.timeout = timeout;
  }

  /** Starts three masters without replicas (see {@link RedisClusterOptions}). */
  public static RedisCluster start() {
    return start(RedisClusterOptions.defaults());
  }

  /**
   * Starts the nodes and forms the cluster.
   *
   * @throws BackingServiceException if no binary can be found, a node does not start, or the
   *     cluster does not form within the Redis options' start timeout; the message says which
   */
  public static RedisCluster start(RedisClusterOptions options) {
    Binary binary = RedisBinaries.find(options.redis());
    List<RedisServer> masters = new ArrayList<>();
    List<RedisServer> replicas = new ArrayList<>();
    try {
      for (int i = 1; i <= options.masters(); i++) {
        masters.add(node(options, binary, "redis-master-" + i));
      }
      for (int i = 1; i <= options.masters(); i++) {
        for (int r = 1; r <= options.replicasPerMaster(); r++) {
          replicas.add(node(options, binary, "redis-replica-" + i + "-" + r));
        }
      }
      RedisCluster cluster = new RedisCluster(masters, replicas, options.redis().startTimeout());
      cluster.form(options.replicasPerMaster());
      LOG.debug(
          "Redis cluster of {} masters and {} replicas at {} runs {}",
          masters.size(),
          replicas.size(),
          cluster.nodes(),
          binary.source());
      return cluster;
    } catch (IOException | RuntimeException e) {
      masters.forEach(RedisServer::close);
      replicas.forEach(RedisServer::close);
      throw new BackingServiceException(
          "the Redis cluster did not form ("
              + options.masters()
              + " masters, "
              + options.replicasPerMaster()
              + " replicas each, from "
              + binary.source()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static RedisServer node(RedisClusterOptions options, Binary binary, String name) {
    List<String> cluster =
        List.of(
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            Long.toString(options.nodeTimeout().toMillis()),
            // Redis 7 syncs replicas without disk and waits 5 s for more to join first: not here.
            "--repl-diskless-sync-delay",
            "0");
    BackingServiceException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return RedisServer.start(options.redis(), binary, cluster, name, portWithFreeBus());
      } catch (BackingServiceException e) {
        // Another process may have taken the port (or its bus port) since it was chosen.
        last = e;
      }
    }
    throw last;
  }

  /** A free port whose cluster bus port (10000 higher, as Redis 6.2 fixes it) is free too. */
  static int portWithFreeBus() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int tries = 0; tries < 500; tries++) {
      try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
        int port = socket.getLocalPort();
        if (port + BUS_OFFSET <= 65_535) {
          if (bindable(port + BUS_OFFSET, loopback)) {
            return port;
          }
        }
      } catch (IOException e) {
        throw new BackingServiceException("cannot find a free port: " + e.getMessage(), e);
      }
    }
    throw new BackingServiceException(
        "found no free port below 55536 whose cluster bus port (10000 higher) is free too;"
            + " free some ports or lower net.ipv4.ip_local_port_range's start");
  }

  private static boolean bindable(int port, InetAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(address, port), 1);
      return socket.isBound();
    } catch (IOException taken) {
      return false;
    }
  }

  private void form(int replicasPerMaster) throws IOException {
    List<String> masterIds = new ArrayList<>();
    int slotsPerMaster = SLOTS / masters.size();
    for (int i = 0; i < masters.size(); i++) {
      try (Resp resp = resp(masters.get(i))) {
        masterIds.add(resp.text("CLUSTER", "MYID"));
        // Distinct epochs up front, as redis-cli does, so no two masters claim the same one.
        resp.text("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        int first = i * slotsPerMaster;
        int last = i == masters.size() - 1 ? SLOTS - 1 : first + slotsPerMaster - 1;
        List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = first; slot <= last; slot++) {
          command.add(Integer.toString(slot));
        }
        resp.text(command.toArray(String[]::new));
      }
    }
    try (Resp first = resp(masters.get(0))) {
      for (RedisServer node : all().subList(1, all().size())) {
        first.text("CLUSTER", "MEET", HOST, Integer.toString(node.port()));
      }
    }
    int size = all().size();
    await("every node knows the " + size, info -> info.contains("cluster_known_nodes:" + size));
    for (int i = 0; i < replicas.size(); i++) {
      // Counted among the known nodes while the handshake runs, a master may still be unknown by
      // its id for a moment: its replica asks until it is known.
      String masterId = masterIds.get(i / replicasPerMaster);
      awaitNode(
          replicas.get(i),
          "CLUSTER",
          "NODES",
          nodes -> nodes.contains(masterId),
          "the replica knows its master " + masterId,
          timeout);
      try (Resp resp = resp(replicas.get(i))) {
        resp.text("CLUSTER", "REPLICATE", masterId);
      }
    }
    awaitHealthy(timeout);
  }

  /**
   * Waits until every running node says {@code cluster_state:ok} and knows all slots as assigned:
   * after the start, and after a fault such as a stopped master, until its replica has taken over.
   *
   * @throws BackingServiceException if that does not happen within the timeout, with what the nodes
   *     said last
   */
  public void awaitHealthy(Duration timeout) {
    try {
      await(
          "the cluster is ok",
          info -> info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:" + SLOTS),
          timeout);
      if (!replicas.isEmpty()) {
        for (RedisServer replica : replicas) {
          if (replica.isRunning()) {
            awaitNode(
                replica,
                "INFO",
                "replication",
                info -> info.contains("role:master") || info.contains("master_link_status:up"),
                "replica " + replica.name() + " is in sync",
                timeout);
          }
        }
      }
    } catch (IOException e) {
      throw new BackingServiceException("the Redis cluster is not healthy: " + e.getMessage(), e);
    }
  }

  private void await(String what, Predicate<String> condition) throws IOException {
    await(what, condition, timeout);
  }

  private void await(String what, Predicate<String> condition, Duration within) throws IOException {
    for (RedisServer node : all()) {
      if (node.isRunning()) {
        awaitNode(node, "CLUSTER", "INFO", condition, what, within);
      }
    }
  }

  private static void awaitNode(
      RedisServer node,
      String command,
      String argument,
      Predicate<String> condition,
      String what,
      Duration within)
      throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    try (Resp resp = resp(node)) {
      while (true) {
        String reply = resp.text(command, argument);
        if (condition.test(reply)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "waited "
                  + within.toMillis()
                  + " ms for: "
                  + what
                  + "; "
                  + node.name()
                  + " at "
                  + node.url()
                  + " says: "
                  + reply.strip().replace("\r\n", ", "));
        }
        LockSupport.parkNanos(5_000_000);
      }
    }
  }

  private static Resp resp(RedisServer node) throws IOException {
    return new Resp(HOST, node.port());
  }

  private List<RedisServer> all() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /**
   * The running master that serves hash {@code slot} now, as that master's {@code CLUSTER NODES}
   * says.
   *
   * @throws BackingServiceException if no running master serves it
   */
  public RedisServer masterOf(int slot) {
    for (RedisServer master : masters) {
      if (master.isRunning() && own(master).contains(slot)) {
        return master;
      }
    }
    throw new BackingServiceException(
        "no running master serves slot " + slot + "; is the cluster healthy (awaitHealthy)?");
  }

  /** The slots {@code node} says it serves (its {@code myself} line of {@code CLUSTER NODES}). */
  private static Set<Integer> own(RedisServer node) {
    Set<Integer> slots = new HashSet<>();
    String line = nodes(node).lines().filter(l -> l.contains("myself")).findFirst().orElse("");
    String[] fields = line.split(" ", -1);
    for (int i = 8; i < fields.length; i++) {
      // A slot being moved shows as [slot->-id] or [slot-<-id]: still this node's.
      String range = fields[i];
      if (!range.startsWith("[")) {
        int dash = range.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
        for (int slot = from; slot <= to; slot++) {
          slots.add(slot);
        }
      }
    }
    return slots;
  }

  private static String nodes(RedisServer node) {
    try (Resp resp = resp(node)) {
      return resp.text("CLUSTER", "NODES");
    } catch (IOException e) {
      throw new BackingServiceException(
          node.name() + " at " + node.url() + " did not answer CLUSTER NODES: " + e.getMessage(),
          e);
    }
  }

  /**
   * Moves hash {@code slot} with all its keys to master {@code to} while clients keep using it, as
   * {@code redis-cli --cluster reshard} does (see {@link SlotMove}): the same commands, in the same
   * order, so a client sees what it would see in production ({@code ASK}, {@code TRYAGAIN}, then
   * {@code MOVED}).
   *
   * @throws IllegalArgumentException if {@code to} is not a running master of this cluster, or
   *     serves the slot already
   * @throws BackingServiceException if a node refuses a step, naming it and its answer
   */
  public void moveSlot(int slot, RedisServer to) {
    startSlotMove(slot, to).finish();
  }

  /**
   * Starts moving hash {@code slot} to master {@code to}: {@code to} is told it is importing the
   * slot, then its master that it is migrating it; no key has moved yet. {@link SlotMove#moveKeys}
   * moves some of them, {@link SlotMove#finish} the rest and gives the slot to {@code to}: a test
   * may hold a slot halfway moved.
   *
   * @throws IllegalArgumentException if {@code to} is not a running master of this cluster, or
   *     serves the slot already
   * @throws BackingServiceException if a node refuses a step, naming it and its answer
   */
  public SlotMove startSlotMove(int slot, RedisServer to) {
    if (!masters.contains(to) || !to.isRunning()) {
      throw new IllegalArgumentException(
          to.name() + " at " + to.url() + " is not a running master of this cluster");
    }
    RedisServer from = masterOf(slot);
    if (from.equals(to)) {
      throw new IllegalArgumentException(
          "slot " + slot + " is served by " + to.name() + " already: nothing to move");
    }
    SlotMove move = new SlotMove(slot, from, to);
    move.command(to, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", move.fromId);
    move.command(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", move.toId);
    return move;
  }

  /**
   * A slot being moved from one master to another, started by {@link #startSlotMove}: its source is
   * {@code MIGRATING} it, its target {@code IMPORTING} it; clients are redirected ({@code ASK}) for
   * keys already moved, and a command over several keys of which some are on each side is answered
   * {@code TRYAGAIN}.
   */
  public final class SlotMove {
    private static final int MIGRATE_TIMEOUT_MILLIS = 5_000;
    private final int slot;
    private final RedisServer from;
    private final RedisServer to;
    private final String fromId;
    private final String toId;

    private SlotMove(int slot, RedisServer from, RedisServer to) {
      this.slot = slot;
      this.from = from;
      this.to = to;
      this.fromId = id(from);
      this.toId = id(to);
    }

    private String id(RedisServer node) {
      return command(node, "CLUSTER", "MYID");
    }

    private String command(RedisServer node, String... command) {
      try (Resp resp = resp(node)) {
        return resp.text(command);
      } catch (IOException e) {
        throw new BackingServiceException(
            "moving slot "
                + slot
                + " from "
                + from.name()
                + " to "
                + to.name()
                + ": "
                + node.name()
                + " at "
                + node.url()
                + " refused it: "
                + e.getMessage(),
            e);
      }
    }

    /**
     * Moves up to {@code max} of the slot's keys to the target ({@code MIGRATE ... KEYS}, without
     * {@code REPLACE}: a key the target has already is an error, as in {@code redis-cli}).
     *
     * @return how many keys were moved; 0 when none is left on the source
     * @throws BackingServiceException if the source cannot list or move them
     */
    public int moveKeys(int max) {
      List<String> keys;
      try (Resp resp = resp(from)) {
        keys = resp.list("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), Integer.toString(max));
      } catch (IOException e) {
        throw new BackingServiceException(
            from.name() + " did not list the keys of slot " + slot + ": " + e.getMessage(), e);
      }
      if (!keys.isEmpty()) {
        List<String> migrate =
            new ArrayList<>(
                List.of(
                    "MIGRATE",
                    HOST,
                    Integer.toString(to.port()),
                    "",
                    "0",
                    Integer.toString(MIGRATE_TIMEOUT_MILLIS),
                    "KEYS"));
        migrate.addAll(keys);
        command(from, migrate.toArray(String[]::new));
      }
      return keys.size();
    }

    /**
     * Moves the keys left, ten at a time as {@code redis-cli} does, then gives the slot to the
     * target: {@code CLUSTER SETSLOT slot NODE target} on the target, the source, and every other
     * running master, in that order (so that no master ever sends a client back to the source).
     */
    public void finish() {
      while (moveKeys(10) > 0) {
        // Keys written on the source meanwhile are listed and moved at the next turn.
      }
      String[] assign = {"CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId};
      command(to, assign);
      command(from, assign);
      for (RedisServer master : masters) {
        if (master.isRunning() && !master.equals(to) && !master.equals(from)) {
          command(master, assign);
        }
      }
    }
  }

  /** The masters as started (a replica may have taken over since). */
  public List<RedisServer> masters() {
    return masters;
  }

  /** The replicas as started, by master: those of the first master first. */
  public List<RedisServer> replicas() {
    return replicas;
  }

  /**
   * Every node's {@code redis://127.0.0.1:port}, masters first: the seed nodes to give a cluster
   * client.
   */
  public List<URI> nodes() {
    return all().stream().map(RedisServer::url).toList();
  }

  /** Always {@code "redis-cluster"}. */
  @Override
  public String name() {
    return "redis-cluster";
  }

  /** The first running master's {@code redis://127.0.0.1:port}; a cluster client finds the rest. */
  @Override
  public URI url() {
    return all().stream().filter(RedisServer::isRunning).findFirst().orElse(masters.get(0)).url();
  }

  /** Every node's recent output, each line prefixed by the node's name. */
  @Override
  public List<String> recentOutput() {
    List<String> lines = new ArrayList<>();
    for (RedisServer node : all()) {
      node.recentOutput().forEach(line -> lines.add("[" + node.name() + "] " + line));
    }
    return lines;
  }

  /**
   * Deletes every key ({@code FLUSHALL} on every running master, whichever nodes are masters now),
   * and waits until the replicas have it too: the per-test reset.
   *
   * @throws BackingServiceException if a running node does not answer
   */
  @Override
  public void reset() {
    for (RedisServer node : all()) {
      if (!node.isRunning()) {
        continue;
      }
      try (Resp resp = resp(node)) {
        String reply = resp.call("FLUSHALL");
        if (reply.equals("+OK")) {
          int following = connectedReplicas(resp.text("INFO", "replication"));
          if (following > 0) {
            // This master's replicas have the flush before the next test starts.
            resp.call("WAIT", Integer.toString(following), "1000");
          }
        } else if (!reply.startsWith("-READONLY")) {
          throw new BackingServiceException(
              node.name() + " at " + node.url() + " answered FLUSHALL with " + reply);
        }
      } catch (IOException e) {
        throw new BackingServiceException(
            node.name() + " at " + node.url() + " did not answer FLUSHALL: " + e.getMessage(), e);
      }
    }
  }

  static int connectedReplicas(String replicationInfo) {
    for (String line : replicationInfo.lines().toList()) {
      if (line.startsWith("connected_slaves:")) {
        return Integer.parseInt(line.substring("connected_slaves:".length()).strip());
      }
    }
    return 0;
  }

  /** Stops every node and deletes their files. Idempotent. */
  @Override
  public void close() {
    all().forEach(RedisServer::close);
  }
}
