package io.charlatan.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed OpenAPI 3 or Swagger 2.0 spec, from YAML or JSON; immutable and safe to share.
 *
 * <pre>{@code
 * Spec das = Spec.load("das.yaml"); // a file, else a classpath resource
 * }</pre>
 */
public final class Spec {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String name;
  private final String text;
  private final JsonNode tree;
  private final OpenAPI api;
  private final String basePath;
  private final Map<String, Operation> operations;

  private Spec(String name, String text, JsonNode tree, OpenAPI api) {
    this.name = name;
    this.text = text;
    this.tree = tree;
    this.api = api;
    this.basePath = basePath(api);
    this.operations = index(api);
  }

  /**
   * Loads a spec from a file, or if there is no such file, from a classpath resource.
   *
   * @throws SpecException if neither exists, or the spec is broken (the message names the place)
   */
  public static Spec load(String location) {
    if (location == null || location.isBlank()) {
      throw new SpecException("spec location (" + location + ") must name a file or resource");
    }
    Path file = Path.of(location);
    if (Files.isRegularFile(file)) {
      return load(file);
    }
    String resource = location.startsWith("/") ? location.substring(1) : location;
    ClassLoader loader =
        Objects.requireNonNullElse(
            Thread.currentThread().getContextClassLoader(), Spec.class.getClassLoader());
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SpecException(
            "no spec at '"
                + location
                + "': neither a file (from "
                + Path.of("").toAbsolutePath()
                + ") nor a classpath resource");
      }
      return parse(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SpecException("cannot read spec '" + location + "': " + e.getMessage(), e);
    }
  }

  /**
   * Loads a spec from a file.
   *
   * @throws SpecException if it cannot be read or is broken
   */
  public static Spec load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new SpecException("cannot read spec file " + file + ": " + e, e);
    }
  }

  /**
   * Parses a spec given as text, YAML or JSON.
   *
   * @param name what to call it in messages, e.g. its file name
   * @throws SpecException if it is broken; the message names the place
   */
  public static Spec parse(String name, String text) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SpecException(
          "spec "
              + name
              + " is neither YAML nor JSON, at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    if (tree == null || !tree.isObject()) {
      throw new SpecException("spec " + name + " must be an object with 'openapi' or 'swagger'");
    }
    if (!tree.has("openapi") && !tree.has("swagger")) {
      throw new SpecException(
          "spec " + name + " has neither 'openapi' nor 'swagger' at the top: not an API spec");
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    // Inline every $ref (responses, parameters, request bodies, headers, schemas) as the validator
    // does when it parses a spec itself: it does not follow the $refs of a model it is handed.
    // allOf/oneOf/anyOf stay as written, so that their failures are reported branch by branch.
    options.setResolveFully(true);
    options.setResolveCombinators(false);
    SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
    List<String> messages = Objects.requireNonNullElse(result.getMessages(), List.of());
    if (result.getOpenAPI() == null || !messages.isEmpty()) {
      throw broken(name, messages);
    }
    List<String> undefined = undefinedSecuritySchemes(result.getOpenAPI());
    if (!undefined.isEmpty()) {
      throw broken(name, undefined);
    }
    return new Spec(name, text, tree, result.getOpenAPI());
  }

  private static SpecException broken(String name, List<String> problems) {
    StringBuilder message = new StringBuilder("spec ").append(name).append(" is broken:");
    for (String problem : problems) {
      message.append("\n  - ").append(problem);
    }
    return new SpecException(message.toString());
  }

  /** Security requirements naming schemes the spec does not define, which the parser lets by. */
  private static List<String> undefinedSecuritySchemes(OpenAPI api) {
    Set<String> defined =
        api.getComponents() == null || api.getComponents().getSecuritySchemes() == null
            ? Set.of()
            : api.getComponents().getSecuritySchemes().keySet();
    List<String> problems = new ArrayList<>();
    collectUndefined("security", api.getSecurity(), defined, problems);
    for (Map.Entry<String, PathItem> path :
        Objects.requireNonNullElse(api.getPaths(), new Paths()).entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, io.swagger.v3.oas.models.Operation> op :
          path.getValue().readOperationsMap().entrySet()) {
        collectUndefined(
            "paths.'"
                + path.getKey()
                + "'("
                + op.getKey().name().toLowerCase(Locale.ROOT)
                + ").security",
            op.getValue().getSecurity(),
            defined,
            problems);
      }
    }
    return problems;
  }

  private static void collectUndefined(
      String where,
      List<SecurityRequirement> requirements,
      Set<String> defined,
      List<String> problems) {
    for (SecurityRequirement requirement :
        Objects.requireNonNullElse(requirements, List.<SecurityRequirement>of())) {
      for (String scheme : requirement.keySet()) {
        if (!defined.contains(scheme)) {
          problems.add(where + " names scheme '" + scheme + "', which the spec does not define");
        }
      }
    }
  }

  private static String basePath(OpenAPI api) {
    // The parser gives every spec a server, "/" when it names none.
    Server server = api.getServers().get(0);
    String path = URI.create(server.getUrl().replace("{", "").replace("}", "")).getPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Map<String, Operation> index(OpenAPI api) {
    Map<String, Operation> operations = new LinkedHashMap<>();
    for (Map.Entry<String, PathItem> path :
        Objects.requireNonNullElse(api.getPaths(), new Paths()).entrySet()) {
      for (Map.Entry<PathItem.HttpMethod, io.swagger.v3.oas.models.Operation> op :
          path.getValue().readOperationsMap().entrySet()) {
        String id = op.getValue().getOperationId();
        // Operations without an id cannot be called by id; the parser refuses repeated ids.
        if (id != null) {
          operations.put(id, new Operation(id, op.getKey().name(), path.getKey()));
        }
      }
    }
    return Collections.unmodifiableMap(operations);
  }

  /** The name it was loaded under (file, resource or given name). */
  public String name() {
    return name;
  }

  /** The operationIds, by path in the order of the spec, then by method. */
  public List<String> operationIds() {
    return new ArrayList<>(operations.keySet());
  }

  Operation operation(String operationId) {
    Operation operation = operations.get(operationId);
    if (operation == null) {
      throw new IllegalArgumentException(
          "no operation '"
              + operationId
              + "' in spec "
              + name
              + "; its operationIds are "
              + operations.keySet());
    }
    return operation;
  }

  /**
   * Every operation with an operationId as method and full path template (base path included), in
   * the order of the spec.
   */
  public List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Operation operation : operations.values()) {
      endpoints.add(
          new Endpoint(operation.id(), operation.method(), basePath + operation.pathTemplate()));
    }
    return endpoints;
  }

  String basePath() {
    return basePath;
  }

  OpenAPI api() {
    return api;
  }

  JsonNode tree() {
    return tree;
  }

  String text() {
    return text;
  }

  @Override
  public String toString() {
    return "Spec[" + name + ", " + operations.size() + " operations]";
  }

  /**
   * An operation as a client reaches it.
   *
   * @param operationId its operationId
   * @param method the HTTP method in upper case
   * @param path the path template with the base path, e.g. {@code /rest/das/requests/{id}}
   */
  public record Endpoint(String operationId, String method, String path) {
    /** Whether a concrete path, e.g. {@code /rest/das/requests/42}, fits the template. */
    public boolean matchesPath(String concrete) {
      String[] template = path.split("/", -1);
      String[] actual = concrete.split("/", -1);
      if (template.length != actual.length) {
        return false;
      }
      for (int i = 0; i < template.length; i++) {
        boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
        if (parameter ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return operationId + " (" + method + " " + path + ")";
    }
  }

  /** An operation: its id, method and path template (without the base path). */
  record Operation(String id, String method, String pathTemplate) {
    @Override
    public String toString() {
      return id + " (" + method + " " + pathTemplate + ")";
    }
  }
}
