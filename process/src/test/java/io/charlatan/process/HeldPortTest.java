package io.charlatan.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldPortTest {
  private static void bind(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
  }

  @Test
  void a_held_port_is_below_the_ephemeral_range_and_nobody_else_can_bind_it() throws IOException {
    int floor = HeldPort.ephemeralFloor(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    try (HeldPort held = HeldPort.reserve()) {
      assertThat(held.port()).isBetween(HeldPort.FLOOR, floor - 1);
      assertThatThrownBy(() -> bind(held.port())).isInstanceOf(BindException.class);
    }
  }

  /**
   * A service started beside its peer connects to the held port before the peer is up: refused, as
   * by the absent peer, and no accepted connection is left on the port to stop the peer's bind (a
   * listening holder left one: Redis then found its port "in use").
   */
  @Test
  void a_client_of_a_held_port_is_refused_and_the_port_then_binds() throws IOException {
    HeldPort held = HeldPort.reserve();
    try (Socket client = new Socket()) {
      assertThatThrownBy(
              () ->
                  client.connect(
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), held.port()), 1000))
          .isInstanceOf(java.net.ConnectException.class);
    }

    bind(held.release());
  }

  @Test
  void a_released_port_can_be_bound_at_once_and_releasing_again_changes_nothing()
      throws IOException {
    HeldPort held = HeldPort.reserve();

    int port = held.release();

    assertThat(port).isEqualTo(held.port());
    bind(port);
    assertThat(held.release()).isEqualTo(port);
    assertThat(held).hasToString("HeldPort[" + port + ", released]");
  }

  /**
   * The JDK opens sockets without close-on-exec: a process started by any thread of the JVM while a
   * port is held has its own copy of the held socket, from its fork until it closes the copies
   * before its exec. A port released in that window stays bound by the copy: without SO_REUSEADDR
   * on the held socket, the peer's server then failed its bind with "address in use" (the session's
   * Downloader imposter, while Redis servers started beside it).
   */
  @Test
  void a_released_port_binds_at_once_while_processes_are_being_started() throws Exception {
    AtomicBoolean starting = new AtomicBoolean(true);
    AtomicLong started = new AtomicLong();
    Thread starter =
        new Thread(
            () -> {
              while (starting.get()) {
                try {
                  new ProcessBuilder("true").start().waitFor();
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                started.incrementAndGet();
              }
            });
    starter.start();
    List<String> failed = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        HeldPort held = HeldPort.reserve();
        // Released just after a process started while it was held, as the next one starts: about
        // half of these binds failed before the fix.
        long before = started.get();
        while (started.get() == before) {
          Thread.onSpinWait();
        }
        int port = held.release();
        try {
          bind(port);
        } catch (BindException e) {
          failed.add(port + ": " + e.getMessage());
        }
      }
    } finally {
      starting.set(false);
      starter.join();
    }

    assertThat(failed).isEmpty();
  }

  @Test
  void the_range_comes_from_the_kernels_file_else_the_usual_default(@TempDir Path dir)
      throws IOException {
    Path range = Files.writeString(dir.resolve("range"), "40000\t60999\n");

    assertThat(HeldPort.ephemeralFloor(range)).isEqualTo(40000);
    assertThat(HeldPort.ephemeralFloor(dir.resolve("absent"))).isEqualTo(32768);
    assertThat(HeldPort.ephemeralFloor(Files.writeString(dir.resolve("bad"), "x")))
        .isEqualTo(32768);
  }

  @Test
  void with_no_room_below_the_range_the_kernel_chooses() {
    try (HeldPort held = HeldPort.reserve(HeldPort.FLOOR + 1)) {
      assertThat(held.port()).isPositive();
    }
  }
}
