package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client addresses and request paths written as Node writes them in Mountebank's recordings. */
class AddressesTest {

  /** What Node 20's {@code net.SocketAddress} (libuv's inet_ntop) prints for each address. */
  @ParameterizedTest(name = "{0} is shown as {1}")
  @CsvSource({
    "0:0:0:0:0:0:0:0, ::",
    "0:0:0:0:0:0:0:1, ::1",
    "1:0:0:0:0:0:0:0, 1::",
    "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1:0:2:0:3:0:4:0, 1:0:2:0:3:0:4:0",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "fe80:0:0:1:0:0:0:2, fe80:0:0:1::2",
  })
  void shows_ipv6_clients_with_the_first_longest_run_of_zeros_compressed(
      String address, String shown) throws Exception {
    InetAddress client = InetAddress.getByName(address);

    assertThat(Addresses.asNodeShowsIt(client, true)).isEqualTo(shown);
    assertThat(Addresses.asNodeShowsIt(client, false)).isEqualTo(shown);
  }

  @Test
  void shows_ipv4_clients_mapped_only_when_listening_on_every_interface() throws Exception {
    InetAddress client = InetAddress.getByName("10.1.2.3");

    assertThat(Addresses.asNodeShowsIt(client, true)).isEqualTo("::ffff:10.1.2.3");
    assertThat(Addresses.asNodeShowsIt(client, false)).isEqualTo("10.1.2.3");
  }

  /** Paths Mountebank 2.9.1 recorded for these request targets. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/a//b/../c, /a//c",
    "/x/.., /",
    "/a/.%2E, /",
    "/a/b/%2E%2e/, /a/",
    "/%2F.., /%2F..",
    "/v1.2/file.txt, /v1.2/file.txt",
    "/.hidden/., /.hidden/",
  })
  void resolves_dot_segments_of_the_path_as_mountebank_records_it(String target, String path) {
    assertThat(Addresses.normalizedPath(target)).isEqualTo(path);
  }
}
