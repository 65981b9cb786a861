package io.charlatan.imposters.internal.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Imposters kept in a directory so that they survive a restart: Mountebank's {@code --datadir}, in
 * Mountebank's own layout, so a directory written by either server loads in the other.
 *
 * <pre>
 * DIR/{port}/imposter.json             the creation request, each stub as {meta: {dir}, predicates}
 * DIR/{port}/stubs/{id}/meta.json      {responseFiles, orderWithRepeats, nextIndex}
 * DIR/{port}/stubs/{id}/responses/{id}.json   one response each
 * DIR/{port}/requests/{id}.json        one recorded request each
 * </pre>
 *
 * <p>Ids are {@code epoch-pid-counter}, sorted in that order. What is kept: the imposter as created
 * and changed through the API, the responses proxies recorded, each stub's place in its cycle of
 * responses, and the recorded requests; as in Mountebank, {@code numberOfRequests} starts again
 * from 0. Every file is written whole to a {@code .tmp} file and renamed, and {@code imposter.json}
 * only after the stub directories it names, so a crash never leaves a header that points at missing
 * files. Changes of one imposter are written one at a time (a lock per port); each write reads the
 * imposter's state when it runs, so the last write holds the last state.
 */
public final class Datadir {
  private static final ObjectMapper JSON = JsonText.parser();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern ID = Pattern.compile("^(\\d+)-(\\d+)-(\\d+)\\.json$");
  private static final long PID = ProcessHandle.current().pid();

  private final Path root;
  private final AtomicLong counter = new AtomicLong();
  private final Map<Integer, Object> locks = new ConcurrentHashMap<>();
  private final Map<Integer, Written> written = new ConcurrentHashMap<>();
  private final Object syncLock = new Object();

  /** What was last written for an imposter: its JSON, and each stub's directory and meta. */
  private record Written(String text, List<String> stubDirs, List<ObjectNode> metas) {}

  /**
   * An imposter read back: its creation request (stubs with their responses) and what a restart
   * keeps of its state.
   *
   * @param directory the imposter's directory
   * @param creation the creation request, as for {@code POST /imposters}
   * @param positions each stub's {@code nextIndex}
   * @param requests the recorded requests, oldest first
   * @param stubDirs each stub's directory, relative to the imposter's
   * @param metas each stub's {@code meta.json}
   */
  public record Kept(
      Path directory,
      ObjectNode creation,
      List<Integer> positions,
      List<ObjectNode> requests,
      List<String> stubDirs,
      List<ObjectNode> metas) {

    /** Mountebank's log name of it, e.g. {@code http:4545}. */
    public String describe() {
      return creation.path("protocol").asText() + ":" + directory.getFileName();
    }
  }

  /**
   * A data directory (need not exist yet: it is made at the first write).
   *
   * @param root the directory, as {@code --datadir} names it
   */
  public Datadir(Path root) {
    this.root = root;
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  /**
   * Reads every imposter kept in the directory, in port order; nothing when it does not exist.
   *
   * @param warnings told of each entry skipped (a directory without {@code imposter.json})
   * @throws DatadirException naming the file that cannot be read or is not valid JSON
   */
  public List<Kept> read(Consumer<String> warnings) {
    if (!Files.exists(root)) {
      return List.of();
    }
    if (!Files.isDirectory(root)) {
      throw new DatadirException(
          "--datadir " + root + " is not a directory: name a directory (it is made if missing)");
    }
    List<Path> entries;
    try (Stream<Path> list = Files.list(root)) {
      entries = list.sorted(Comparator.comparing((Path p) -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new DatadirException("cannot list --datadir " + root + ": " + e, e);
    }
    List<Kept> kept = new ArrayList<>();
    for (Path entry : entries) {
      Path header = entry.resolve("imposter.json");
      if (!Files.isRegularFile(header)) {
        warnings.accept(
            "Skipping " + entry.getFileName() + " during loading; missing imposter.json");
        continue;
      }
      kept.add(readImposter(entry, header));
    }
    return kept;
  }

  private static Kept readImposter(Path dir, Path headerFile) {
    JsonNode header = readJson(headerFile);
    if (!header.isObject()) {
      throw new DatadirException("invalid imposter in " + headerFile + ": not a JSON object");
    }
    ObjectNode creation = (ObjectNode) header.deepCopy();
    creation.remove("requests");
    ArrayNode stubs = NODES.arrayNode();
    List<Integer> positions = new ArrayList<>();
    List<String> stubDirs = new ArrayList<>();
    List<ObjectNode> metas = new ArrayList<>();
    for (JsonNode stub : header.path("stubs")) {
      String stubDir = stub.path("meta").path("dir").asText("");
      if (stubDir.isEmpty()) {
        throw new DatadirException(
            "invalid stub in " + headerFile + ": each stub needs meta.dir, found " + stub);
      }
      Path metaFile = dir.resolve(stubDir).resolve("meta.json");
      JsonNode meta = readJson(metaFile);
      ObjectNode rebuilt = ((ObjectNode) stub).deepCopy();
      rebuilt.remove("meta");
      ArrayNode responses = rebuilt.putArray("responses");
      for (JsonNode file : meta.path("responseFiles")) {
        responses.add(readJson(dir.resolve(stubDir).resolve(file.asText())));
      }
      stubs.add(rebuilt);
      positions.add(meta.path("nextIndex").asInt(0));
      stubDirs.add(stubDir);
      metas.add(meta.isObject() ? (ObjectNode) meta : NODES.objectNode());
    }
    creation.set("stubs", stubs);
    List<ObjectNode> requests = new ArrayList<>();
    for (Path file : sortedIds(dir.resolve("requests"))) {
      JsonNode request = readJson(file);
      if (request.isObject()) {
        requests.add((ObjectNode) request);
      }
    }
    return new Kept(dir, creation, List.copyOf(positions), requests, stubDirs, metas);
  }

  /** The {@code epoch-pid-counter.json} files of a directory in Mountebank's order. */
  private static List<Path> sortedIds(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> ID.matcher(p.getFileName().toString()).matches())
          .sorted(
              Comparator.comparingLong((Path p) -> idPart(p, 1))
                  .thenComparingLong(p -> idPart(p, 2))
                  .thenComparingLong(p -> idPart(p, 3)))
          .toList();
    } catch (IOException e) {
      throw new DatadirException("cannot list " + dir + ": " + e, e);
    }
  }

  private static long idPart(Path file, int group) {
    Matcher matcher = ID.matcher(file.getFileName().toString());
    return matcher.matches() ? Long.parseLong(matcher.group(group)) : 0;
  }

  private static JsonNode readJson(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DatadirException("missing file " + file + " in the --datadir", e);
    } catch (IOException e) {
      throw new DatadirException("cannot read " + file + ": " + e, e);
    }
    try {
      JsonNode json = JSON.readTree(text);
      if (json == null || json.isMissingNode()) {
        throw new DatadirException("invalid JSON in " + file + ": the file is empty");
      }
      return json;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DatadirException("invalid JSON in " + file + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Takes an imposter created from what {@link #read} gave as already written, so its files are
   * kept as they are (and updated in place from now on).
   */
  public void adopt(HttpImposter imposter, Kept kept) {
    synchronized (lock(imposter.port())) {
      written.put(
          imposter.port(),
          new Written(text(imposter), List.copyOf(kept.stubDirs()), copies(kept.metas())));
    }
  }

  /**
   * Brings the directory in line with the running imposters after an API change: writes those whose
   * configuration changed, and removes those no longer running.
   */
  public void sync(Collection<HttpImposter> running) {
    synchronized (syncLock) {
      Set<Integer> live = new HashSet<>();
      for (HttpImposter imposter : running) {
        live.add(imposter.port());
        write(imposter);
      }
      boolean removed = false;
      for (Integer port : new ArrayList<>(written.keySet())) {
        if (!live.contains(port)) {
          delete(port);
          removed = true;
        }
      }
      if (removed && live.isEmpty()) {
        // As Mountebank: the directory goes when its last imposter does.
        try (Stream<Path> left = Files.list(root)) {
          if (left.findAny().isEmpty()) {
            Files.deleteIfExists(root);
          }
        } catch (IOException e) {
          // Left in place: an empty directory loads as no imposters.
        }
      }
    }
  }

  /** Writes an imposter whole if its configuration differs from what was last written. */
  public void write(HttpImposter imposter) {
    int port = imposter.port();
    synchronized (lock(port)) {
      String text = text(imposter);
      Written last = written.get(port);
      if (last != null && last.text().equals(text)) {
        return;
      }
      Path dir = root.resolve(Integer.toString(port));
      ObjectNode json = (ObjectNode) parse(text);
      int[] positions = imposter.cyclePositions();
      ObjectNode header = NODES.objectNode();
      json.properties()
          .forEach(
              field -> {
                if (!"stubs".equals(field.getKey())) {
                  header.set(field.getKey(), field.getValue());
                }
              });
      ArrayNode stubs = header.putArray("stubs");
      List<String> stubDirs = new ArrayList<>();
      List<ObjectNode> metas = new ArrayList<>();
      int index = 0;
      for (JsonNode stub : json.path("stubs")) {
        String stubDir = "stubs/" + nextId();
        ObjectNode entry = stubs.addObject();
        entry.putObject("meta").put("dir", stubDir);
        stub.properties()
            .forEach(
                field -> {
                  if (!"responses".equals(field.getKey())) {
                    entry.set(field.getKey(), field.getValue());
                  }
                });
        ObjectNode meta = NODES.objectNode();
        ArrayNode files = meta.putArray("responseFiles");
        ArrayNode order = meta.putArray("orderWithRepeats");
        int responseIndex = 0;
        for (JsonNode response : stub.path("responses")) {
          String file = "responses/" + nextId() + ".json";
          files.add(file);
          for (int r = 0; r < Repeats.of(response); r++) {
            order.add(responseIndex);
          }
          writeAtomically(dir.resolve(stubDir).resolve(file), response);
          responseIndex++;
        }
        meta.put("nextIndex", index < positions.length ? positions[index] : 0);
        writeAtomically(dir.resolve(stubDir).resolve("meta.json"), meta);
        stubDirs.add(stubDir);
        metas.add(meta);
        index++;
      }
      writeAtomically(dir.resolve("imposter.json"), header);
      List<String> before = last == null ? listStubDirs(dir) : last.stubDirs();
      for (String old : before) {
        if (!stubDirs.contains(old)) {
          removeTree(dir.resolve(old));
        }
      }
      written.put(port, new Written(text, stubDirs, metas));
    }
  }

  /** The stub directories on disk, for an imposter written by another process. */
  private static List<String> listStubDirs(Path dir) {
    Path stubs = dir.resolve("stubs");
    if (!Files.isDirectory(stubs)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(stubs)) {
      return list.map(p -> "stubs/" + p.getFileName()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Keeps what answering a request changed: the stubs' cycle positions and the recorded request.
   * Nothing is written for an imposter that is not (or no longer) kept here.
   *
   * @param recorded the recorded request, or null
   */
  public void served(HttpImposter imposter, ObjectNode recorded) {
    int port = imposter.port();
    synchronized (lock(port)) {
      Written last = written.get(port);
      if (last == null) {
        return;
      }
      Path dir = root.resolve(Integer.toString(port));
      int[] positions = imposter.cyclePositions();
      if (positions.length == last.metas().size()) {
        for (int i = 0; i < positions.length; i++) {
          ObjectNode meta = last.metas().get(i);
          if (meta.path("nextIndex").asInt(0) != positions[i]) {
            meta.put("nextIndex", positions[i]);
            writeAtomically(dir.resolve(last.stubDirs().get(i)).resolve("meta.json"), meta);
          }
        }
      }
      if (recorded != null) {
        writeAtomically(dir.resolve("requests").resolve(nextId() + ".json"), recorded);
      }
    }
  }

  /** Forgets an imposter's recorded requests ({@code DELETE /imposters/:id/savedRequests}). */
  public void resetRequests(int port) {
    synchronized (lock(port)) {
      if (written.containsKey(port)) {
        removeTree(root.resolve(Integer.toString(port)).resolve("requests"));
      }
    }
  }

  /** Removes an imposter's directory. */
  public void delete(int port) {
    synchronized (lock(port)) {
      written.remove(port);
      removeTree(root.resolve(Integer.toString(port)));
    }
  }

  private Object lock(int port) {
    return locks.computeIfAbsent(port, p -> new Object());
  }

  private String nextId() {
    return System.currentTimeMillis() + "-" + PID + "-" + counter.incrementAndGet();
  }

  private static String text(HttpImposter imposter) {
    ObjectNode json = imposter.toJson(true, false, false, null);
    return json.toString();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<ObjectNode> copies(List<ObjectNode> metas) {
    List<ObjectNode> copies = new ArrayList<>();
    metas.forEach(meta -> copies.add(meta.deepCopy()));
    return copies;
  }

  private static void writeAtomically(Path file, JsonNode json) {
    Path partial = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(partial, JsonText.pretty(json, 2), StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new DatadirException("cannot write " + file + ": " + e, e);
    }
  }

  private static void removeTree(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    } catch (IOException e) {
      throw new DatadirException("cannot remove " + path + ": " + e, e);
    }
  }
}
