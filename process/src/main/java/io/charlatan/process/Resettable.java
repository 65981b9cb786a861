package io.charlatan.process;

/**
 * A {@link Running} thing that can be emptied between tests without a restart: Redis (every key
 * deleted), PostgreSQL (every table emptied), an imposter (its recorded requests forgotten). The
 * JUnit fixtures reset such a thing before each test it is handed to, so a test starts clean
 * whatever the tests before it did.
 */
public interface Resettable {

  /**
   * Brings it back to the state it had when it was created, as fast as it can.
   *
   * @throws RuntimeException of the handle's failure type if it does not answer
   */
  void reset();
}
