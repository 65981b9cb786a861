package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathEvaluationResult;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathNodes;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The {@code jsonpath} and {@code xpath} parameters of predicates: they replace a request value by
 * what the selector picks from it. One match gives the value itself, several give a sorted array,
 * none gives undefined (null here).
 *
 * <p>JSONPath supports {@code $}, {@code .name}, {@code ['name']}, {@code [n]}, {@code [*]}, {@code
 * .*} and {@code ..name}, the forms Mountebank's documentation uses.
 */
final class Selectors {
  private Selectors() {}

  static JsonNode select(JsonNode predicate, JsonNode parsed, String text) {
    JsonNode jsonpath = predicate.get("jsonpath");
    if (jsonpath != null) {
      String selector = requiredSelector(jsonpath, predicate, "jsonpath");
      boolean keyCaseSensitive =
          predicate.has("keyCaseSensitive")
              ? Js.truthy(predicate.get("keyCaseSensitive"))
              : Js.truthy(predicate.get("caseSensitive"));
      if (!keyCaseSensitive) {
        selector = Js.lower(selector);
      }
      if (!Js.isObject(parsed)) {
        return null;
      }
      return collapse(JsonPath.select(selector, parsed, predicate));
    }
    JsonNode xpath = predicate.get("xpath");
    if (!xpath.isObject()) {
      throw MbError.typeError("the xpath parameter must be an object", predicate);
    }
    JsonNode selector = xpath.get("selector");
    JsonNode ns = xpath.get("ns");
    if (Js.truthy(predicate.get("caseSensitive"))) {
      // mb hands anything else to its xpath library, which then selects nothing.
      return selector == null || !selector.isTextual()
          ? null
          : collapse(XPathSelect.select(selector.textValue(), ns, text, predicate));
    }
    // mb lowers the selector and the ns prefixes in place: a TypeError for what it cannot.
    if (selector == null || !selector.isTextual()) {
      throw MbError.typeError("the xpath parameter needs a string 'selector'", predicate);
    }
    if (ns != null && ns.isTextual() && !ns.textValue().isEmpty()) {
      throw MbError.typeError("the xpath parameter's 'ns' must be an object", predicate);
    }
    return collapse(XPathSelect.select(Js.lower(selector.textValue()), ns, text, predicate));
  }

  private static String requiredSelector(JsonNode parameter, JsonNode predicate, String name) {
    JsonNode selector = parameter == null ? null : parameter.get("selector");
    if (selector == null || !selector.isTextual()) {
      throw MbError.badData("the " + name + " parameter needs a string 'selector'", predicate);
    }
    return selector.textValue();
  }

  private static JsonNode collapse(List<JsonNode> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    ArrayNode array = Js.NODES.arrayNode();
    values.forEach(array::add);
    return Js.sort(array);
  }

  /** A small JSONPath evaluator. */
  static final class JsonPath {
    private JsonPath() {}

    /** What the selector picks in the document, as Mountebank's jsonpath-plus does. */
    static List<JsonNode> select(String selector, JsonNode root, JsonNode predicate) {
      return JsonPathQuery.select(selector, root);
    }
  }

  /** XPath over the JDK's XML parser, with Mountebank's node-value rules. */
  static final class XPathSelect {
    private XPathSelect() {}

    static List<JsonNode> select(String selector, JsonNode ns, String text, JsonNode predicate) {
      return select(selector, ns, text, predicate, false);
    }

    /**
     * What the selector picks; a number or boolean result (say {@code count(//a)}) is its text when
     * {@code nodesOnly} is false, as predicates compare it, and nothing when true, as mb's copy
     * behavior finds no match in it (and a string result is then Node's TypeError, as a copy meets
     * it).
     */
    static List<JsonNode> select(
        String selector, JsonNode ns, String text, JsonNode predicate, boolean nodesOnly) {
      XPath xpath = XPathFactory.newInstance().newXPath();
      if (ns != null && ns.isObject()) {
        xpath.setNamespaceContext(new Namespaces(ns));
      }
      XPathExpression expression;
      try {
        expression = xpath.compile(selector);
      } catch (XPathExpressionException e) {
        throw MbError.malformedSelector("xpath", selector, nodesOnly);
      }
      // mb's lenient parser reads any text but the empty one as a document; what it cannot read
      // is a document with nothing in it.
      Document document = parse(text);
      if (document == null && text.isEmpty()) {
        return null;
      }
      Document context = document == null ? empty() : document;
      XPathEvaluationResult<?> result;
      try {
        result = expression.evaluateExpression(context);
      } catch (XPathExpressionException e) {
        throw MbError.malformedSelector("xpath", selector, nodesOnly);
      }
      switch (result.type()) {
        case NODESET -> {
          List<JsonNode> values = new ArrayList<>();
          for (Node node : (XPathNodes) result.value()) {
            values.add(TextNode.valueOf(value(node)));
          }
          return values;
        }
        case STRING ->
            // mb maps over the result, which a string cannot do: a creation error in a predicate's
            // dry run, Node's TypeError (a 500) when a copy meets it at a request.
            throw nodesOnly
                ? MbError.nodeError(null, "TypeError", "result.map is not a function")
                : MbError.typeError("an xpath selector must not give a string", predicate);
        default -> {
          // A number or a boolean: predicates compare its text; mb's copy finds no match in it.
          // XPath prints a number as JavaScript does (2, 0.5, NaN, Infinity).
          return nodesOnly ? List.of() : List.of(TextNode.valueOf(text(expression, context)));
        }
      }
    }

    private static String value(Node node) {
      if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.ATTRIBUTE_NODE) {
        return node.getNodeValue();
      }
      // mb: String(firstChild.data), else String(node.data); an element has no data.
      Node first = node.getFirstChild();
      String data = first == null ? node.getNodeValue() : first.getNodeValue();
      return data == null ? "undefined" : data;
    }

    private static String text(XPathExpression expression, Document context) {
      try {
        return expression.evaluate(context);
      } catch (XPathExpressionException e) {
        throw new IllegalStateException(
            "an XPath that was evaluated once failed the second time", e);
      }
    }

    private static Document empty() {
      try {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
      } catch (ParserConfigurationException e) {
        throw new IllegalStateException("the JDK's XML parser cannot make a document", e);
      }
    }

    private static Document parse(String text) {
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new InputSource(new StringReader(text)));
      } catch (ParserConfigurationException | SAXException | IOException notXml) {
        return null;
      }
    }
  }

  private static final class Namespaces implements NamespaceContext {
    private final JsonNode ns;

    Namespaces(JsonNode ns) {
      this.ns = ns;
    }

    @Override
    public String getNamespaceURI(String prefix) {
      JsonNode uri = ns.get(prefix);
      return uri == null ? XMLConstants.NULL_NS_URI : uri.asText();
    }

    @Override
    public String getPrefix(String namespaceUri) {
      return null;
    }

    @Override
    public Iterator<String> getPrefixes(String namespaceUri) {
      return List.<String>of().iterator();
    }
  }
}
