package io.charlatan.process;

import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * A test JVM in miniature: starts a service that forks a grandchild, reports both pids, then ends
 * as told by its argument: {@code hold} (until killed), {@code exit} (normal exit without stopping
 * the service) or {@code halt} (abrupt exit, as a crash: no shutdown hooks).
 */
public final class OrphanMaker {
  private OrphanMaker() {}

  /**
   * Runs the scenario named by {@code args[0]}.
   *
   * @param args {@code hold}, {@code exit} or {@code halt}
   * @throws InterruptedException never in practice: the JVM is killed while holding
   */
  public static void main(String[] args) throws InterruptedException {
    ServiceProcess service =
        new ServiceProcess(
                Fixtures.script("orphaned", "sleep 600 & echo \"grandchild $!\"; echo ready; wait")
                    .ready(Ready.whenLogLine("ready"))
                    .build())
            .start();
    long grandchild = Fixtures.numbers(service.recentOutput(), "grandchild (\\d+)")[0];
    LoggerFactory.getLogger(OrphanMaker.class)
        .info("service {} grandchild {}", service.pid(), grandchild);
    switch (args[0]) {
      case "exit" -> {}
      case "halt" -> Runtime.getRuntime().halt(3);
      default -> new CountDownLatch(1).await();
    }
  }
}
