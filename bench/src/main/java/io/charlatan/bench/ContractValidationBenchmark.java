package io.charlatan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charlatan.contract.Contract;
import io.charlatan.contract.ContractRequest;
import io.charlatan.contract.ContractResponse;
import io.charlatan.contract.Spec;
import io.charlatan.contract.Strictness;
import io.charlatan.contract.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the contract checks cost per call: one DAS {@code submitAcquisitionRequest} exchange
 * (request with an {@code Authorization} header and a five-field JSON body, 202 response with the
 * stored eight-field request), checked against a Swagger 2.0 spec shaped like DAS's. The baseline
 * only parses both bodies with Jackson, the least any check must do. Run with {@code
 * bench/run-contract-bench.sh}; {@code bench/contract.md} has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class ContractValidationBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Contract contract =
      Contract.of(Spec.load("das-contract-bench.yaml"), Strictness.defaults());

  private final ContractRequest request =
      new ContractRequest(
          "POST",
          "/rest/das/requests",
          Map.of(),
          Map.of(
              "Authorization",
              List.of("Bearer " + "x".repeat(600)),
              "Content-Type",
              List.of("application/json")),
          "{\"title\":\"Census 2020\",\"orgUUID\":\"0f3c7d1e-5b7a-4c1e-9d57-1a2b3c4d5e6f\","
              + "\"publicRequest\":true,\"source\":\"http://example.com/census-2020.csv\","
              + "\"category\":\"demographics\"}");

  private final ContractResponse response =
      new ContractResponse(
          202,
          Map.of("Content-Type", List.of("application/json")),
          "{\"title\":\"Census 2020\",\"orgUUID\":\"0f3c7d1e-5b7a-4c1e-9d57-1a2b3c4d5e6f\","
              + "\"publicRequest\":true,\"source\":\"http://example.com/census-2020.csv\","
              + "\"category\":\"demographics\",\"state\":\"VALIDATED\","
              + "\"id\":\"6f1c2a3e-8f5b-4c1d-9a7e-2b3c4d5e6f70\","
              + "\"timestamps\":{\"VALIDATED\":1700000000}}");

  /** Request and response checked, as a {@code ContractClient} does for each call. */
  @Benchmark
  public int requestAndResponse() {
    List<Violation> requestViolations = contract.checkRequest(request);
    List<Violation> responseViolations = contract.checkResponse(request, response);
    if (!requestViolations.isEmpty() || !responseViolations.isEmpty()) {
      throw new IllegalStateException(requestViolations + " " + responseViolations);
    }
    return requestViolations.size() + responseViolations.size();
  }

  /** The request alone. */
  @Benchmark
  public int requestOnly() {
    return contract.checkRequest(request).size();
  }

  /** The response alone. */
  @Benchmark
  public int responseOnly() {
    return contract.checkResponse(request, response).size();
  }

  /** Baseline: both bodies parsed to JSON trees, nothing checked. */
  @Benchmark
  public int parseBodiesOnly() throws IOException {
    JsonNode in = JSON.readTree(request.body());
    JsonNode out = JSON.readTree(response.body());
    return in.size() + out.size();
  }
}
