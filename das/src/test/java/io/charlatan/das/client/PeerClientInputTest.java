package io.charlatan.das.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client's buffered input: what it reads is what the socket gave, byte for byte. */
class PeerClientInputTest {
  /** A stream that gives at most {@code chunk} bytes a read, as a socket does. */
  private static InputStream trickling(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Test
  void bytesAndArraysReadInTurnGiveTheStreamInOrderThenItsEnd() throws IOException {
    byte[] data = new byte[10_000];
    new Random(7).nextBytes(data);
    PeerClient.Input in = new PeerClient.Input(trickling(data, 3_000));
    byte[] read = new byte[data.length];
    int at = 0;
    for (; at < 100; at++) {
      read[at] = (byte) in.read();
    }
    while (at < data.length) {
      int n = in.read(read, at, Math.min(5_000, data.length - at));
      assertThat(n).isPositive();
      at += n;
    }
    assertThat(read).isEqualTo(data);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(read, 0, 10)).isEqualTo(-1);
  }

  @Test
  void aByteOver127IsReadAsAnUnsignedValue() throws IOException {
    PeerClient.Input in = new PeerClient.Input(new ByteArrayInputStream(new byte[] {(byte) 0xff}));
    assertThat(in.read()).isEqualTo(255);
  }

  @Test
  void readingNoBytesReturnsZeroWithoutWaitingForTheSocket() throws IOException {
    InputStream never =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("read from the socket");
          }

          @Override
          public int read(byte[] b, int off, int len) {
            throw new AssertionError("read from the socket");
          }
        };
    assertThat(new PeerClient.Input(never).read(new byte[4], 0, 0)).isZero();
  }
}
