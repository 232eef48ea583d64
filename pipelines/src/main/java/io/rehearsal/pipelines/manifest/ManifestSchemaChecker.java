package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a manifest document against manifests/manifest.schema.json (networknt
 * json-schema-validator) and rewrites the library's messages into Rehearsal's form:
 * path, what was expected, and the actual value.
 */
final class ManifestSchemaChecker {

  static final String SCHEMA_RESOURCE = "/io/rehearsal/manifest/manifest.schema.json";
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

  private final JsonNode schemaNode;
  private final JsonSchema schema;

  ManifestSchemaChecker() {
    this(SCHEMA_RESOURCE);
  }

  /** A checker for another YAML document kind (e.g. feature sets) with the same message rewriting. */
  ManifestSchemaChecker(String schemaResource) {
    try (InputStream in = ManifestSchemaChecker.class.getResourceAsStream(schemaResource)) {
      if (in == null) {
        throw new IllegalStateException("Schema " + schemaResource + " is missing from the jar");
      }
      schemaNode = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaNode);
  }

  List<ManifestProblem> check(JsonNode document) {
    Set<ValidationMessage> messages = schema.validate(document);
    List<ManifestProblem> problems = new ArrayList<>();
    for (ValidationMessage m : messages) {
      problems.add(toProblem(m, document));
    }
    problems.sort(Comparator.comparing(ManifestProblem::path).thenComparing(ManifestProblem::message));
    return problems;
  }

  private ManifestProblem toProblem(ValidationMessage m, JsonNode document) {
    String path = displayPath(m.getPath());
    JsonNode value = document.at(pointer(m.getPath()));
    JsonNode rule = schemaRule(m.getSchemaPath());
    String[] args = m.getArguments() == null ? new String[0] : m.getArguments();
    switch (m.getType()) {
      case "required":
        return new ManifestProblem(join(path, args[0]), "required field is missing");
      case "additionalProperties": {
        String field = args[0];
        return new ManifestProblem(join(path, field), "unknown field '" + field + "'; expected one of " + allowedFields(m.getSchemaPath()));
      }
      case "type":
        return new ManifestProblem(path, "expected " + describeType(rule) + ", got " + describe(value));
      case "enum":
        return new ManifestProblem(path, "expected one of " + rule + ", got " + describe(value));
      case "minimum":
        return new ManifestProblem(path, "must be >= " + rule + ", got " + describe(value));
      case "maximum":
        return new ManifestProblem(path, "must be <= " + rule + ", got " + describe(value));
      case "exclusiveMinimum":
        return new ManifestProblem(path, "must be > " + rule + ", got " + describe(value));
      case "exclusiveMaximum":
        return new ManifestProblem(path, "must be < " + rule + ", got " + describe(value));
      case "pattern":
        return new ManifestProblem(path, patternMessage(m.getSchemaPath(), rule) + ", got " + describe(value));
      case "minItems":
        return new ManifestProblem(path, "must have at least " + rule + " item(s), got " + value.size());
      case "minLength":
        return new ManifestProblem(path, "must not be empty");
      case "uniqueItems":
        return new ManifestProblem(path, "must not repeat a value, got " + value);
      default:
        return new ManifestProblem(path, m.getMessage().replaceFirst("^\\$[^:]*: ", ""));
    }
  }

  private String patternMessage(String schemaPath, JsonNode rule) {
    if (schemaPath.contains("definitions/date")) {
      return "expected a date as YYYY-MM-DD";
    }
    if (schemaPath.contains("definitions/column")) {
      return "expected a column name (letters, digits, underscore)";
    }
    return "expected text matching " + rule.asText();
  }

  /** The schema keyword's value, e.g. 1 for {@code .../rate/maximum}. */
  private JsonNode schemaRule(String schemaPath) {
    if (schemaPath == null || !schemaPath.startsWith("#")) {
      return MissingNode.getInstance();
    }
    return schemaNode.at(JsonPointer.compile(schemaPath.substring(1)));
  }

  private String allowedFields(String schemaPath) {
    String parent = schemaPath.replaceFirst("/additionalProperties$", "");
    JsonNode properties = schemaRule(parent).path("properties");
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return new TreeSet<>(names).toString();
  }

  private static String describeType(JsonNode rule) {
    if (rule.isArray()) {
      List<String> names = new ArrayList<>();
      for (Iterator<JsonNode> it = rule.elements(); it.hasNext(); ) {
        names.add(article(it.next().asText()));
      }
      return String.join(" or ", names);
    }
    return article(rule.asText());
  }

  private static String article(String type) {
    switch (type) {
      case "integer":
        return "an integer";
      case "object":
        return "a mapping";
      case "array":
        return "a list";
      default:
        return "a " + type;
    }
  }

  static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list " + value;
    }
    return value.toString();
  }

  /** {@code $.segments[1].sampling.rate} → {@code segments[1].sampling.rate}; the root is {@code (root)}. */
  static String displayPath(String libraryPath) {
    String p = libraryPath.startsWith("$") ? libraryPath.substring(1) : libraryPath;
    if (p.startsWith(".")) {
      p = p.substring(1);
    }
    return p.isEmpty() ? "(root)" : p;
  }

  private static String join(String path, String field) {
    return "(root)".equals(path) ? field : path + "." + field;
  }

  private static JsonPointer pointer(String libraryPath) {
    String p = displayPath(libraryPath);
    if ("(root)".equals(p)) {
      return JsonPointer.empty();
    }
    Matcher m = INDEX.matcher(p);
    String slashed = m.replaceAll(".$1");
    return JsonPointer.compile("/" + slashed.replace(".", "/"));
  }
}
