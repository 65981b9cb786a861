package io.charlatan.imposters;

/**
 * A Java predicate of a stub, for {@link EmbeddedMountebank} only: the type-safe answer to
 * Mountebank's JavaScript {@code inject} predicates, off the REST API.
 *
 * <pre>{@code
 * RequestMatcher largeUpload = request -> request.body().length() > 1_000;
 * }</pre>
 */
@FunctionalInterface
public interface RequestMatcher {

  /**
   * Whether the stub answers this request.
   *
   * @throws Exception a failure, which the imposter answers with a 500 naming it
   */
  boolean matches(RecordedRequest request) throws Exception;
}
