package io.charlatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.imposters.internal.inject.Injection;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one injected call costs an imposter, from Jackson request to Jackson response, as the
 * imposters module runs it (the imposter's GraalJS context, Mountebank's arguments, JSON across):
 * an {@code inject} response, one counting in {@code config.state}, an {@code inject} predicate and
 * a {@code decorate}. The baseline copies the request as Jackson JSON, which an {@code is} response
 * also does. Run with {@code bench/run-inject-jmh.sh}; {@code bench/imposters-inject.md} has the
 * figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class InjectionBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String RESPONSE =
      "config => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' },"
          + " body: JSON.stringify({ path: config.request.path }) })";
  private static final String COUNTING =
      "config => { config.state.count = (config.state.count || 0) + 1;"
          + " return { body: String(config.state.count) }; }";
  private static final String PREDICATE =
      "config => config.request.method === 'GET' && config.request.path.startsWith('/hello')";
  private static final String DECORATE =
      "config => { config.response.headers = { 'X-Path': config.request.path }; }";

  private Injection injection;
  private JsonNode request;
  private JsonNode response;

  /** A new imposter's injection, its context made by a first call. */
  @Setup(Level.Trial)
  public void start() throws IOException {
    injection = new Injection((level, message) -> {});
    request =
        JSON.readTree(
            "{\"requestFrom\":\"127.0.0.1:50000\",\"method\":\"GET\",\"path\":\"/hello\","
                + "\"query\":{},\"headers\":{\"Host\":\"127.0.0.1:4545\",\"User-Agent\":\"wrk\"},"
                + "\"body\":\"\",\"ip\":\"127.0.0.1\"}");
    response = JSON.readTree("{\"statusCode\":200,\"body\":\"hello\"}");
    injection.predicate(PREDICATE, request);
  }

  /** Frees the context. */
  @TearDown(Level.Trial)
  public void stop() {
    injection.close();
  }

  /** The least any response does with the request: a copy of its JSON. */
  @Benchmark
  public JsonNode baselineCopyOfTheRequest() {
    return request.deepCopy();
  }

  /** An {@code inject} response returning an object. */
  @Benchmark
  public JsonNode injectResponse() {
    return injection.respond(RESPONSE, request).join();
  }

  /** An {@code inject} response that counts its calls in {@code config.state}. */
  @Benchmark
  public JsonNode injectResponseWithState() {
    return injection.respond(COUNTING, request).join();
  }

  /** An {@code inject} predicate. */
  @Benchmark
  public boolean injectPredicate() {
    return injection.predicate(PREDICATE, request);
  }

  /** A {@code decorate} behavior changing the response in place. */
  @Benchmark
  public JsonNode decorate() {
    return injection.decorate(DECORATE, request, response);
  }
}
