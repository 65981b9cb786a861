package io.charlatan.imposters.internal.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.charlatan.imposters.internal.engine.HttpImposter;
import io.charlatan.imposters.internal.engine.Imposters;
import io.charlatan.imposters.internal.engine.MbError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the imposters in a Mountebank imposters repository module ({@code --impostersRepository}):
 * the repository holds the imposters, their stubs, each stub's place in its cycle of responses, the
 * recorded requests and what proxies record, and the server runs the imposters from it.
 *
 * <ul>
 *   <li>At start, the repository's {@code loadAll} gives the imposters it kept; each runs with the
 *       stubs of its {@code stubsFor(port).toJSON()} and the requests of {@code loadRequests()}.
 *   <li>Each request is answered by the repository: the server matches the predicates (it runs the
 *       same stubs), then the repository records the request ({@code addRequest}), gives the
 *       matching stub ({@code first}) and its {@code nextResponse()}, in one call.
 *   <li>Each change through the API (and each response a proxy records) is made in the repository
 *       before the API answers: {@code add}, {@code del}, {@code add}/{@code insertAtIndex}/{@code
 *       overwriteAtIndex}/{@code deleteAtIndex}/{@code overwriteAll} of a stub, a stub's {@code
 *       addResponse}, {@code deleteSavedRequests}, {@code deleteSavedProxyResponses}, {@code
 *       deleteAll} (then {@code add}s) for {@code DELETE} and {@code PUT /imposters}.
 * </ul>
 *
 * <p>As under Mountebank, the repository is changed only through this server while it runs: its
 * matching runs on the server's copy of the stubs, which it keeps equal to the repository's.
 */
public final class RepositoryKeeper implements AutoCloseable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern STUBS =
      Pattern.compile("/imposters/(\\d+)/stubs/?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ALL = Pattern.compile("/imposters/?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SAVED_REQUESTS =
      Pattern.compile("/imposters/(\\d+)/savedRequests/?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SAVED_PROXIES =
      Pattern.compile(
          "/imposters/(\\d+)/(savedProxyResponses|requests)/?", Pattern.CASE_INSENSITIVE);

  private final NodeRepository repository;
  private final Map<Integer, Kept> kept = new ConcurrentHashMap<>();
  private final Object syncLock = new Object();
  private volatile boolean debug;

  /** What the repository holds of a running imposter: which one, and its stubs as last written. */
  private record Kept(HttpImposter imposter, List<JsonNode> stubs) {}

  private RepositoryKeeper(NodeRepository repository) {
    this.repository = repository;
  }

  /**
   * Loads the imposters the repository kept ({@code loadAll}) and keeps the imposters in it from
   * now on.
   *
   * @param repository the running repository
   * @param imposters where the loaded imposters run
   * @param debug whether stubs' matches are recorded ({@code --debug}: {@code recordMatch})
   * @throws IllegalStateException with the repository's error (Mountebank's start fails too)
   */
  public static RepositoryKeeper load(
      NodeRepository repository, Imposters imposters, boolean debug) {
    RepositoryKeeper keeper = new RepositoryKeeper(repository);
    keeper.debug = debug;
    JsonNode configs;
    try {
      configs = repository.call("loadAll", NODES.objectNode());
    } catch (NodeRepository.RepositoryException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    for (JsonNode config : configs) {
      int port = config.path("port").asInt();
      ObjectNode creation = ((ObjectNode) config).deepCopy();
      creation.remove("requests");
      creation.set("stubs", repository.call("stubs", portCall(port)));
      List<ObjectNode> requests = new ArrayList<>();
      if (config.path("recordRequests").asBoolean(false)) {
        repository
            .call("requests", portCall(port))
            .forEach(
                request -> {
                  if (request.isObject()) {
                    requests.add((ObjectNode) request);
                  }
                });
      }
      HttpImposter imposter;
      try {
        imposter = imposters.create(creation);
      } catch (Imposters.ValidationException e) {
        imposters.deleteAll();
        throw new IllegalStateException(
            "cannot run the imposter on port " + port + " of the repository: " + e.toJson(), e);
      } catch (MbError e) {
        imposters.deleteAll();
        throw new IllegalStateException(
            "cannot run the imposter on port " + port + " of the repository: " + e.element(), e);
      }
      imposter.restore(new int[0], requests);
      keeper.kept.put(imposter.port(), new Kept(imposter, stubsOf(imposter)));
    }
    return keeper;
  }

  /**
   * The response a request gets: the repository records it (when the imposter records) and gives
   * the matching stub's next response. Waits for the repository (a tcp or smtp request).
   *
   * @see io.charlatan.imposters.internal.engine.ImposterEvents#nextResponse
   */
  public JsonNode nextResponse(
      HttpImposter imposter, int stubIndex, ObjectNode recorded, Supplier<JsonNode> own) {
    try {
      return nextResponseLater(imposter, stubIndex, recorded, own).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  /**
   * As {@link #nextResponse}, completed when the repository answers (an http request: the imposter
   * answers others meanwhile).
   *
   * @see io.charlatan.imposters.internal.engine.ImposterEvents#nextResponseLater
   */
  public CompletableFuture<JsonNode> nextResponseLater(
      HttpImposter imposter, int stubIndex, ObjectNode recorded, Supplier<JsonNode> own) {
    Kept known = kept.get(imposter.port());
    if (known == null || known.imposter() != imposter) {
      // Not (yet) in the repository: a change being written.
      return CompletableFuture.completedFuture(own == null ? null : own.get());
    }
    ObjectNode serve = portCall(imposter.port());
    serve.put("index", stubIndex);
    serve.set("request", recorded);
    serve.put("debug", debug);
    return repository
        .callLater("serve", serve)
        .handle(
            (answer, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause()
                        : failure;
                throw MbError.badData(
                    "the imposters repository failed: " + cause.getMessage(), null);
              }
              JsonNode response = answer.path("response");
              return response.isObject() ? response : null;
            });
  }

  /** A proxy recorded a response (a new stub, or a response of an existing one). */
  public void stubsChanged(HttpImposter imposter) {
    synchronized (syncLock) {
      Kept known = kept.get(imposter.port());
      if (known != null && known.imposter() == imposter) {
        writeStubs(imposter, known.stubs(), true);
      }
    }
  }

  /**
   * Writes what an API change changed: imposters created or deleted, stubs changed, recorded
   * requests or proxies' responses deleted.
   *
   * @param method the API call's method
   * @param path the API call's path
   * @param running the imposters running after it
   */
  public void apiChanged(String method, String path, Collection<HttpImposter> running) {
    synchronized (syncLock) {
      if (method.equals("DELETE")) {
        Integer port = port(SAVED_REQUESTS, path);
        if (port != null && kept.containsKey(port)) {
          repository.call("deleteSavedRequests", portCall(port));
          return;
        }
        port = port(SAVED_PROXIES, path);
        if (port != null && kept.containsKey(port)) {
          repository.call("deleteSavedProxyResponses", portCall(port));
          HttpImposter imposter = kept.get(port).imposter();
          kept.put(port, new Kept(imposter, stubsOf(imposter)));
          return;
        }
      }
      if (!method.equals("POST") && ALL.matcher(path).matches()) {
        // DELETE and PUT /imposters: deleteAll, then (PUT) an add of each new imposter.
        repository.call("deleteAll", NODES.objectNode());
        kept.clear();
      }
      Integer replaced = method.equals("PUT") ? port(STUBS, path) : null;
      Set<Integer> live = new HashSet<>();
      for (HttpImposter imposter : running) {
        live.add(imposter.port());
        Kept known = kept.get(imposter.port());
        if (known != null && known.imposter() != imposter) {
          repository.call("del", portCall(imposter.port()));
          known = null;
        }
        if (known == null) {
          ObjectNode add = NODES.objectNode();
          add.set("imposter", imposter.toJson(true, false, false, null));
          repository.call("add", add);
          kept.put(imposter.port(), new Kept(imposter, stubsOf(imposter)));
        } else if (Objects.equals(replaced, imposter.port())) {
          // PUT /imposters/:id/stubs starts every stub's cycle again, even an unchanged one.
          List<JsonNode> stubs = stubsOf(imposter);
          ObjectNode change = NODES.objectNode();
          change.put("op", "overwriteAll");
          change.set("stubs", NODES.arrayNode().addAll(stubs));
          ops(imposter.port(), List.of(change));
          kept.put(imposter.port(), new Kept(imposter, stubs));
        } else {
          writeStubs(imposter, known.stubs(), false);
        }
      }
      for (Integer port : new ArrayList<>(kept.keySet())) {
        if (!live.contains(port)) {
          kept.remove(port);
          repository.call("del", portCall(port));
        }
      }
    }
  }

  /** Writes the stubs of a kept imposter that differ from what was written before. */
  private void writeStubs(HttpImposter imposter, List<JsonNode> before, boolean byProxy) {
    List<JsonNode> after = stubsOf(imposter);
    List<ObjectNode> changes = StubChanges.between(before, after, byProxy);
    if (!changes.isEmpty()) {
      ops(imposter.port(), changes);
    }
    kept.put(imposter.port(), new Kept(imposter, after));
  }

  private void ops(int port, List<ObjectNode> changes) {
    ObjectNode call = portCall(port);
    ArrayNode ops = call.putArray("ops");
    changes.forEach(ops::add);
    repository.call("stubOps", call);
  }

  private static List<JsonNode> stubsOf(HttpImposter imposter) {
    return new ArrayList<>(imposter.stubJsons());
  }

  private static Integer port(Pattern pattern, String path) {
    Matcher matcher = pattern.matcher(path);
    return matcher.matches() ? Integer.valueOf(matcher.group(1)) : null;
  }

  private static ObjectNode portCall(int port) {
    ObjectNode call = NODES.objectNode();
    call.put("port", port);
    return call;
  }

  /** Stops the repository's imposters ({@code stopAllSync}, as Mountebank at exit) and node. */
  @Override
  public void close() {
    try {
      repository.call("stopAllSync", NODES.objectNode());
    } catch (NodeRepository.RepositoryException e) {
      // Stopping anyway.
    }
    repository.close();
  }
}
