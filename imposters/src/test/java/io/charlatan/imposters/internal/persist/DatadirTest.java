package io.charlatan.imposters.internal.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory read and written in process, with its failures. */
class DatadirTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private final Imposters imposters = new Imposters("127.0.0.1", false, 100);
  private final List<String> warnings = new ArrayList<>();

  @AfterEach
  void stop() {
    imposters.deleteAll();
  }

  private HttpImposter create(String json) throws Exception {
    return imposters.create(JSON.readTree(json));
  }

  private static String get(int port, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void reads_nothing_from_a_directory_that_does_not_exist_yet() {
    assertThat(new Datadir(dir.resolve("missing")).read(warnings::add)).isEmpty();
  }

  @Test
  void refuses_a_file_given_as_the_directory() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> new Datadir(file).read(warnings::add))
        .isInstanceOf(DatadirException.class)
        .hasMessageContaining("--datadir " + file + " is not a directory");
  }

  @Test
  void skips_entries_without_an_imposter_json_with_a_warning() throws Exception {
    Files.createDirectories(dir.resolve("stray"));

    assertThat(new Datadir(dir).read(warnings::add)).isEmpty();
    assertThat(warnings).containsExactly("Skipping stray during loading; missing imposter.json");
  }

  @Test
  void names_the_missing_or_broken_file() throws Exception {
    Path imposter = Files.createDirectories(dir.resolve("4545"));
    Files.writeString(
        imposter.resolve("imposter.json"),
        "{\"protocol\":\"http\",\"port\":4545,\"stubs\":[{\"meta\":{\"dir\":\"stubs/1-2-3\"}}]}");
    assertThatThrownBy(() -> new Datadir(dir).read(warnings::add))
        .hasMessageContaining("missing file " + imposter.resolve("stubs/1-2-3/meta.json"));

    Files.writeString(imposter.resolve("imposter.json"), "{\"stubs\":[{\"predicates\":[]}]}");
    assertThatThrownBy(() -> new Datadir(dir).read(warnings::add))
        .hasMessageContaining("each stub needs meta.dir");

    Files.writeString(imposter.resolve("imposter.json"), "[]");
    assertThatThrownBy(() -> new Datadir(dir).read(warnings::add))
        .hasMessageContaining("not a JSON object");

    Files.writeString(imposter.resolve("imposter.json"), "");
    assertThatThrownBy(() -> new Datadir(dir).read(warnings::add))
        .hasMessageContaining("invalid JSON in " + imposter.resolve("imposter.json"))
        .hasMessageContaining("empty");
  }

  @Test
  void keeps_responses_a_proxy_recorded() throws Exception {
    Datadir datadir = new Datadir(dir.resolve("data"));
    imposters.reportTo(
        new io.charlatan.imposters.internal.engine.ImposterEvents() {
          @Override
          public void served(HttpImposter imposter, ObjectNode recorded) {
            datadir.served(imposter, recorded);
          }

          @Override
          public void stubsChanged(HttpImposter imposter) {
            datadir.write(imposter);
          }
        });
    HttpImposter origin =
        create("{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"o\"}}]}]}");
    HttpImposter proxy =
        create(
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{\"to\":"
                + "\"http://127.0.0.1:"
                + origin.port()
                + "\",\"mode\":\"proxyOnce\"}}]}]}");
    datadir.sync(List.of(proxy));

    assertThat(get(proxy.port(), "/x")).isEqualTo("o");

    List<Datadir.Kept> kept = datadir.read(warnings::add);
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).creation().path("stubs")).hasSize(2);
    assertThat(kept.get(0).creation().path("stubs").get(0).toString()).contains("\"body\":\"o\"");
    assertThat(kept.get(0).describe()).isEqualTo("http:" + proxy.port());
  }

  @Test
  void counts_repeats_as_the_stubs_do() throws Exception {
    assertThat(Repeats.of(JSON.readTree("{}"))).isEqualTo(1);
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":1.5}"))).isEqualTo(2);
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":\"0x2\"}"))).isEqualTo(2);
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":\" 3 \"}"))).isEqualTo(3);
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":\"2d\"}"))).isZero();
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":false}"))).isEqualTo(1);
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":true}"))).isZero();
    assertThat(Repeats.of(JSON.readTree("{\"repeat\":-2}"))).isZero();
  }

  @Test
  void a_write_that_fails_names_the_file() throws Exception {
    HttpImposter imposter = create("{\"protocol\":\"http\"}");
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a directory");

    assertThatThrownBy(() -> new Datadir(blocker).write(imposter))
        .isInstanceOf(DatadirException.class)
        .hasMessageContaining(
            "cannot write " + blocker.resolve(imposter.port() + "/imposter.json"));
  }

  @Test
  void reads_a_hand_written_directory_leniently_where_mountebank_would() throws Exception {
    Path imposter = Files.createDirectories(dir.resolve("4545"));
    Files.writeString(
        imposter.resolve("imposter.json"),
        "{\"protocol\":\"http\",\"port\":4545,\"requests\":[],"
            + "\"stubs\":[{\"meta\":{\"dir\":\"stubs/s\"}}]}");
    Files.createDirectories(imposter.resolve("stubs/s"));
    Files.writeString(imposter.resolve("stubs/s/meta.json"), "[]");
    Path requests = Files.createDirectories(imposter.resolve("requests"));
    Files.writeString(requests.resolve("2-1-1.json"), "{\"path\":\"/second\"}");
    Files.writeString(requests.resolve("1-1-1.json"), "{\"path\":\"/first\"}");
    Files.writeString(requests.resolve("1-1-2.json"), "[\"not a request\"]");
    Files.writeString(requests.resolve("notes.txt"), "ignored");

    Datadir.Kept kept = new Datadir(dir).read(warnings::add).get(0);

    assertThat(kept.creation().has("requests")).isFalse();
    assertThat(kept.positions()).containsExactly(0);
    assertThat(kept.requests())
        .extracting(request -> request.get("path").asText())
        .containsExactly("/first", "/second");
  }

  @Test
  void replaces_the_stubs_another_process_wrote_and_ignores_imposters_it_does_not_keep()
      throws Exception {
    HttpImposter imposter =
        create("{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{}}]}]}");
    Path data = dir.resolve("data");
    new Datadir(data).write(imposter);
    Path stubs = data.resolve(imposter.port() + "/stubs");
    List<Path> before;
    try (java.util.stream.Stream<Path> list = Files.list(stubs)) {
      before = list.toList();
    }

    Datadir later = new Datadir(data);
    later.served(imposter, null);
    later.resetRequests(imposter.port());
    later.write(imposter);

    assertThat(before).hasSize(1).allMatch(stub -> !Files.exists(stub));
    assertThat(later.read(warnings::add)).hasSize(1);
  }
}
