package io.charlatan.imposters;

/**
 * A Java response of a stub, for {@link EmbeddedMountebank} only. It sees the request and returns
 * the response; it may also act, for example call the service under test back. It runs on its own
 * thread, so it may block.
 *
 * <pre>{@code
 * Responder echo = request -> StubResponse.of(200, request.body());
 * }</pre>
 */
@FunctionalInterface
public interface Responder {

  /**
   * The response to the request.
   *
   * @throws Exception a failure, which the imposter answers with a 500 naming it
   */
  StubResponse respond(RecordedRequest request) throws Exception;
}
