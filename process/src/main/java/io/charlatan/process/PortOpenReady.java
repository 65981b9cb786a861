package io.charlatan.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Ready when a TCP connect to the service succeeds. */
final class PortOpenReady implements Ready {
  static final PortOpenReady INSTANCE = new PortOpenReady();

  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  private PortOpenReady() {}

  @Override
  public boolean isReady(ServiceProbe probe) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(probe.host(), probe.port()), CONNECT_TIMEOUT_MILLIS);
    } catch (IOException notYet) {
      return false;
    }
    return true;
  }

  @Override
  public String describe() {
    return "the port to accept TCP connections";
  }
}
