package io.charlatan.junit;

import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;

/**
 * Ready-made fixture: {@code service}, the {@link ServiceProcess} of the service under test,
 * started once per test run from your {@link ServiceDefinition} fixture and stopped at the end. Its
 * log tail is added to the report of every failed test.
 *
 * <pre>{@code
 * class MyFixtures {
 *   @Fixture(scope = Scope.SESSION)
 *   ServiceDefinition definition(Imposter downloader) {
 *     return ServiceDefinition.command(JavaCommand.mainClass(MyApp.class).toList())
 *         .env("PORT", "{port}")
 *         .env("DOWNLOADER_URL", downloader.url().toString())
 *         .ready(Ready.whenHttp("/health").returns(200))
 *         .build();
 *   }
 * }
 * }</pre>
 *
 * <p>For several services, write one such fixture per service: {@code return new
 * ServiceProcess(definition).start();}.
 */
public class ServiceFixtures {
  /** Made by the extension. */
  public ServiceFixtures() {}

  /**
   * The service, started and ready.
   *
   * @throws io.charlatan.process.ServiceStartException if it does not start, with its output
   */
  @Fixture(scope = Scope.SESSION)
  public ServiceProcess service(ServiceDefinition definition) {
    return ServiceProcess.start(definition);
  }
}
