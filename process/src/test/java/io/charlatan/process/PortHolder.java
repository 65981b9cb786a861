package io.charlatan.process;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** Another JVM holding a port reservation, as a parallel Surefire fork would, until killed. */
public final class PortHolder {
  private PortHolder() {}

  /**
   * Reserves the port {@code args[1]} in the lock directory {@code args[0]} and holds it.
   *
   * @param args the lock directory and the port
   * @throws Exception if the reservation fails
   */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    Ports ports = new Ports(Path.of(args[0]), host -> port);
    Ports.Reservation reservation = ports.tryReserve(port).orElseThrow();
    LoggerFactory.getLogger(PortHolder.class).info("holding {}", reservation.port());
    new CountDownLatch(1).await();
  }
}
