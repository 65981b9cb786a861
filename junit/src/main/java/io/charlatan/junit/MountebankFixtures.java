package io.charlatan.junit;

import io.charlatan.imposters.EmbeddedMountebank;

/**
 * Ready-made fixture: an embedded Mountebank-compatible server, {@code mountebank}, one per test
 * run. Ask for it in your own fixtures to create imposters. An imposter of a SESSION fixture is
 * reset before and after each test that gets it (see {@link Charlatan}); imposters made by a {@link
 * Scope#METHOD} fixture are deleted after each test (an {@code Imposter} is {@link AutoCloseable}).
 *
 * <pre>{@code
 * @Charlatan(fixtures = {MountebankFixtures.class, MyFixtures.class})
 * class MyServiceTest { ... }
 *
 * class MyFixtures {
 *   @Fixture(scope = Scope.SESSION)
 *   Imposter downloader(EmbeddedMountebank mountebank) {
 *     return mountebank.createImposter(ImposterSpec.simple("POST", "/download", 200, "{}"));
 *   }
 * }
 * }</pre>
 */
public class MountebankFixtures {
  /** Made by the extension. */
  public MountebankFixtures() {}

  /** The embedded server, started on first use, stopped when the test run ends. */
  @Fixture(scope = Scope.SESSION)
  public EmbeddedMountebank mountebank() {
    return EmbeddedMountebank.start();
  }
}
