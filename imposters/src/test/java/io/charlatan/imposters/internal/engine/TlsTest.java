package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PKCS#1 keys given to an https imposter, read by wrapping them in PKCS#8. */
class TlsTest {

  private static String pkcs1(byte[] key) {
    return "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  /** A DER element at an offset: its content's start and length. */
  private static int[] element(byte[] der, int at, int tag) {
    assertThat(der[at] & 0xff).isEqualTo(tag);
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {at + 2, first};
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {at + 2 + (first & 0x7f), length};
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {3, 150, 1190, 70_000})
  void wraps_a_pkcs1_key_of_any_length_in_a_well_formed_pkcs8_structure(int size) {
    byte[] key = new byte[size];
    Arrays.fill(key, (byte) 7);
    String pem = Tls.pkcs8(pkcs1(key));
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "")
                    .trim());

    int[] sequence = element(der, 0, 0x30);
    int[] version = element(der, sequence[0], 0x02);
    int[] algorithm = element(der, version[0] + version[1], 0x30);
    int[] octets = element(der, algorithm[0] + algorithm[1], 0x04);

    assertThat(sequence[0] + sequence[1]).isEqualTo(der.length);
    assertThat(octets[0] + octets[1]).isEqualTo(der.length);
    assertThat(Arrays.copyOfRange(der, octets[0], der.length)).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {3, 150})
  void refuses_an_imposter_whose_key_is_not_an_rsa_key(int size) {
    ObjectNode imposter = Js.object().put("protocol", "https").put("key", pkcs1(new byte[size]));

    assertThatThrownBy(() -> Tls.serverContext(imposter))
        .isInstanceOfSatisfying(MbError.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @org.junit.jupiter.api.Test
  void shares_one_context_between_imposters_with_the_same_key_and_certificate() {
    ObjectNode mutual = Js.object().put("mutualAuth", true);

    assertThat(Tls.serverContext(Js.object())).isSameAs(Tls.serverContext(Js.object()));
    assertThat(Tls.serverContext(mutual))
        .isSameAs(Tls.serverContext(mutual.deepCopy()))
        .isNotSameAs(Tls.serverContext(Js.object()));
  }

  @org.junit.jupiter.api.Test
  void completes_a_handshake_in_memory_with_the_default_context() throws Exception {
    io.netty.handler.ssl.SslContext client =
        io.netty.handler.ssl.SslContextBuilder.forClient()
            .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
            .build();

    assertThat(
            Tls.handshake(
                client.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT, "localhost", 443),
                Tls.serverContext(Js.object()).newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT)))
        .isTrue();
  }

  @org.junit.jupiter.api.Test
  void warms_up_once_without_failing_and_leaves_the_default_context_built() {
    assertThat(Tls.warmUp(2)).isTrue();
    Tls.warmUpInBackground();
    Tls.warmUpInBackground();

    assertThat(Tls.serverContext(Js.object()).isServer()).isTrue();
  }
}
