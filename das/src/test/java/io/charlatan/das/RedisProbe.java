package io.charlatan.das;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import redis.clients.jedis.Jedis;

/** What tests read off a Redis process: its pid, its command counts; and signals sent to it. */
public final class RedisProbe {
  private RedisProbe() {}

  /** The pid of the Redis at {@code uri} (INFO server). */
  public static long pid(URI uri) {
    return number(uri, "server", "process_id");
  }

  /**
   * How many times the Redis at {@code uri} ran {@code command} (INFO commandstats), 0 if never.
   * Redis 7 counts a command's subcommands apart ({@code cmdstat_script|load}): they are summed.
   */
  public static long calls(URI uri, String command) {
    try (Jedis client = new Jedis(uri)) {
      return client
          .info("commandstats")
          .lines()
          .filter(
              line ->
                  line.startsWith("cmdstat_" + command + ":")
                      || line.startsWith("cmdstat_" + command + "|"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")))
          .sum();
    }
  }

  /** The connections the Redis at {@code uri} has (INFO clients), this probe's own included. */
  public static long clients(URI uri) {
    return number(uri, "clients", "connected_clients");
  }

  private static long number(URI uri, String section, String name) {
    try (Jedis client = new Jedis(uri)) {
      return client
          .info(section)
          .lines()
          .filter(line -> line.startsWith(name + ":"))
          .map(line -> Long.parseLong(line.substring(name.length() + 1).trim()))
          .findFirst()
          .orElseThrow();
    }
  }

  /** Sends signal {@code name} (STOP, CONT, KILL) to process {@code pid}. */
  public static void signal(long pid, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertThat(kill.waitFor()).isZero();
  }
}
