package io.rehearsal.pipelines.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.MappingErrors.quote;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.mapping.Aggregation;
import io.rehearsal.transforms.mapping.DerivedColumn;
import io.rehearsal.transforms.mapping.EventTypeRule;
import io.rehearsal.transforms.mapping.ExclusionRule;
import io.rehearsal.transforms.mapping.MappingSpec;
import io.rehearsal.transforms.mapping.QuantitySign;
import io.rehearsal.transforms.mapping.ValueSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an import mapping YAML file (format: docs/import-mapping.md) into an {@link ImportMapping}.
 * Checks the file's shape here (known fields, value types, source block) and leaves the rest to
 * {@link MappingSpec}; every error names the file and the field path. Needs no Spark.
 */
public final class MappingLoader {

  public static final List<String> FORMATS = List.of("csv", "parquet", "delta");

  private static final List<String> TOP_FIELDS =
      List.of("name", "description", "source", "time_zone", "events", "exclusions", "items", "users");
  private static final List<String> SOURCE_FIELDS = List.of("path", "format", "options", "version");
  private static final List<String> EVENTS_FIELDS = List.of("columns", "event_types", "quantity_sign");
  private static final List<String> VALUE_FIELDS = List.of("source", "expr", "constant", "format");
  private static final List<String> DERIVED_FIELDS = List.of("aggregate", "source", "expr", "constant", "format", "where");
  private static final List<String> RULE_FIELDS = List.of("when", "type");
  private static final List<String> EXCLUSION_FIELDS = List.of("name", "when");
  private static final List<String> TABLE_FIELDS = List.of("columns");
  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private MappingLoader() {}

  public static ImportMapping load(Path file) {
    if (file == null) {
      throw RehearsalException.invalidInput("Cannot load an import mapping", "no mapping file was given",
          "pass --mapping conf/mappings/<name>.yaml");
    }
    if (!Files.exists(file)) {
      throw RehearsalException.invalidInput("Cannot load mapping " + file, "no such file (working directory "
          + Path.of("").toAbsolutePath() + ")", "pass the path of an existing mapping, e.g. conf/mappings/online-retail.yaml");
    }
    if (!Files.isRegularFile(file)) {
      throw RehearsalException.invalidInput("Cannot load mapping " + file, "it is not a regular file",
          "pass the path of a YAML mapping file");
    }
    String origin = "Mapping " + file;
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw invalid(origin, "", "is not valid YAML", "a YAML mapping document", e.getOriginalMessage() + where,
          "correct the YAML syntax", e);
    } catch (IOException e) {
      throw RehearsalException.invalidInput("Cannot load mapping " + file, e.toString(), "check the file's permissions", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw invalid(origin, "", "is empty", "a YAML mapping with name, source, time_zone and events", "an empty document",
          "start from conf/mappings/online-retail.yaml");
    }
    Obj top = new Obj(origin, "", root, TOP_FIELDS);
    String name = top.requiredText("name");
    String description = top.optionalText("description");
    MappingSource source = source(file, top.requiredObj("source", SOURCE_FIELDS));
    String timeZone = top.optionalText("time_zone");

    Obj events = top.requiredObj("events", EVENTS_FIELDS);
    Map<String, ValueSpec> eventColumns = new LinkedHashMap<>();
    Obj columns = events.requiredObj("columns", null);
    for (String column : columns.fieldNames()) {
      eventColumns.put(column, value(columns.obj(column, VALUE_FIELDS)));
    }
    List<EventTypeRule> rules = new ArrayList<>();
    List<JsonNode> ruleNodes = events.requiredList("event_types");
    for (int i = 0; i < ruleNodes.size(); i++) {
      Obj rule = new Obj(origin, events.child("event_types") + "[" + i + "]", ruleNodes.get(i), RULE_FIELDS);
      rules.add(new EventTypeRule(rule.requiredScalar("when"), rule.requiredText("type")));
    }
    Map<String, QuantitySign> signs = new LinkedHashMap<>();
    Obj signNode = events.optionalObj("quantity_sign", null);
    if (signNode != null) {
      for (String type : signNode.fieldNames()) {
        String label = signNode.requiredText(type);
        QuantitySign sign = QuantitySign.fromLabel(label);
        if (sign == null) {
          throw invalid(origin, signNode.child(type), "is not a known quantity sign", "one of " + QuantitySign.labels(),
              quote(label), "say which sign the source quantity has for " + type + " events");
        }
        signs.put(type, sign);
      }
    }

    List<ExclusionRule> exclusions = new ArrayList<>();
    List<JsonNode> exclusionNodes = top.optionalList("exclusions");
    for (int i = 0; i < exclusionNodes.size(); i++) {
      Obj rule = new Obj(origin, "exclusions[" + i + "]", exclusionNodes.get(i), EXCLUSION_FIELDS);
      exclusions.add(new ExclusionRule(rule.requiredText("name"), rule.requiredScalar("when")));
    }

    MappingSpec spec = new MappingSpec(origin, timeZone, eventColumns, rules, signs, exclusions,
        derived(top.optionalObj("items", TABLE_FIELDS)), derived(top.optionalObj("users", TABLE_FIELDS)));
    return new ImportMapping(file, name, description, source, spec);
  }

  private static MappingSource source(Path file, Obj source) {
    String declared = source.requiredText("path");
    String format = source.requiredText("format");
    if (!FORMATS.contains(format)) {
      throw invalid(source.origin, source.child("format"), "is not a supported source format", "one of " + FORMATS,
          quote(format), "convert the source to CSV, Parquet or Delta");
    }
    Long version = null;
    JsonNode versionNode = source.node.get("version");
    if (versionNode != null) {
      if (!format.equals("delta")) {
        throw invalid(source.origin, source.child("version"), "applies only to Delta sources", "no version for a "
            + format + " source", describe(versionNode), "remove version, or read a Delta table");
      }
      if (!versionNode.isIntegralNumber() || versionNode.asLong() < 0) {
        throw invalid(source.origin, source.child("version"), "is not a Delta version", "a whole number >= 0",
            describe(versionNode), "pin an existing version, or remove version to read the latest");
      }
      version = versionNode.asLong();
    }
    Map<String, String> options = new LinkedHashMap<>();
    Obj optionNode = source.optionalObj("options", null);
    if (optionNode != null) {
      for (String key : optionNode.fieldNames()) {
        options.put(key, optionNode.requiredScalar(key));
      }
    }
    return new MappingSource(resolve(file, declared), format, version, options);
  }

  /** Relative paths resolve against the mapping file's directory; absolute paths and URIs stay as they are. */
  static String resolve(Path mappingFile, String declared) {
    if (URI_SCHEME.matcher(declared).matches()) {
      return declared;
    }
    Path path = Path.of(declared);
    if (path.isAbsolute()) {
      return path.normalize().toString();
    }
    return mappingFile.toAbsolutePath().getParent().resolve(path).normalize().toString();
  }

  private static ValueSpec value(Obj column) {
    List<String> given = new ArrayList<>();
    for (String kind : List.of("source", "expr", "constant")) {
      if (column.node.has(kind)) {
        given.add(kind);
      }
    }
    if (given.isEmpty()) {
      throw invalid(column.origin, column.path, "has no value", "exactly one of source, expr or constant", "none",
          "add source: <column>, expr: <SQL> or constant: <value>");
    }
    if (given.size() > 1) {
      throw invalid(column.origin, column.path, "has more than one value", "exactly one of source, expr or constant",
          String.join(" and ", given), "keep one of them");
    }
    ValueSpec value;
    switch (given.get(0)) {
      case "source":
        value = ValueSpec.source(column.requiredText("source"));
        break;
      case "expr":
        value = ValueSpec.expr(column.requiredText("expr"));
        break;
      default:
        value = ValueSpec.constant(column.requiredScalar("constant"));
        break;
    }
    String format = column.optionalText("format");
    return format == null ? value : value.withFormat(format);
  }

  private static Map<String, DerivedColumn> derived(Obj table) {
    Map<String, DerivedColumn> columns = new LinkedHashMap<>();
    if (table == null) {
      return columns;
    }
    Obj columnsNode = table.requiredObj("columns", null);
    for (String name : columnsNode.fieldNames()) {
      Obj column = columnsNode.obj(name, DERIVED_FIELDS);
      Aggregation aggregation = null;
      String label = column.optionalText("aggregate");
      if (label != null) {
        aggregation = Aggregation.fromLabel(label);
        if (aggregation == null) {
          throw invalid(column.origin, column.child("aggregate"), "is not a known aggregation",
              "one of " + Aggregation.labels(), quote(label), "pick one of the listed aggregations");
        }
      }
      columns.put(name, new DerivedColumn(aggregation, value(column), column.optionalScalar("where")));
    }
    return columns;
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the text '" + node.asText() + "'";
    }
    return "the " + (node.isNumber() ? "number " : node.isBoolean() ? "boolean " : "value ") + node.asText();
  }

  /** A YAML mapping node with its field path, for checked access. */
  private static final class Obj {
    final String origin;
    final String path;
    final JsonNode node;

    Obj(String origin, String path, JsonNode node, List<String> allowed) {
      this.origin = origin;
      this.path = path;
      this.node = node;
      String label = path.isEmpty() ? "the top level" : path;
      if (node == null || !node.isObject()) {
        throw invalid(origin, label, "is not a mapping", allowed == null ? "a mapping of names to values"
            : "a mapping with fields " + allowed, describe(node), "write " + label + " as key: value lines");
      }
      if (allowed != null) {
        for (String field : fieldNames()) {
          if (!allowed.contains(field)) {
            throw invalid(origin, label, "has an unknown field", "one of " + allowed, quote(field),
                "remove it or correct its spelling");
          }
        }
      }
    }

    String child(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    List<String> fieldNames() {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      return names;
    }

    Obj obj(String field, List<String> allowed) {
      return new Obj(origin, child(field), node.get(field), allowed);
    }

    Obj requiredObj(String field, List<String> allowed) {
      if (!present(field)) {
        throw invalid(origin, child(field), "is missing", allowed == null ? "a mapping" : "a mapping with fields " + allowed,
            "nothing", "add " + child(field));
      }
      return obj(field, allowed);
    }

    Obj optionalObj(String field, List<String> allowed) {
      return present(field) ? obj(field, allowed) : null;
    }

    List<JsonNode> requiredList(String field) {
      if (!present(field)) {
        throw invalid(origin, child(field), "is missing", "a list", "nothing", "add " + child(field));
      }
      return optionalList(field);
    }

    List<JsonNode> optionalList(String field) {
      List<JsonNode> items = new ArrayList<>();
      if (!present(field)) {
        return items;
      }
      JsonNode list = node.get(field);
      if (!list.isArray()) {
        throw invalid(origin, child(field), "is not a list", "a list of entries starting with '- '", describe(list),
            "write each entry on its own line starting with '- '");
      }
      list.forEach(items::add);
      return items;
    }

    String requiredText(String field) {
      String text = optionalText(field);
      if (text == null) {
        throw invalid(origin, child(field), "is missing", "a text value", "nothing", "add " + child(field));
      }
      return text;
    }

    String optionalText(String field) {
      if (!present(field)) {
        return null;
      }
      JsonNode value = node.get(field);
      if (!value.isTextual()) {
        throw invalid(origin, child(field), "is not text", "a text value", describe(value), "quote the value");
      }
      return value.asText();
    }

    /** A text, number or boolean, as text (YAML reads {@code when: true} and {@code header: true} as booleans). */
    String requiredScalar(String field) {
      String text = optionalScalar(field);
      if (text == null) {
        throw invalid(origin, child(field), "is missing", "a value", "nothing", "add " + child(field));
      }
      return text;
    }

    String optionalScalar(String field) {
      if (!present(field)) {
        return null;
      }
      JsonNode value = node.get(field);
      if (!value.isValueNode()) {
        throw invalid(origin, child(field), "is not a single value", "a text, number or boolean", describe(value),
            "write a single value");
      }
      return value.asText();
    }

    private boolean present(String field) {
      JsonNode value = node.get(field);
      return value != null && !value.isNull() && !value.isMissingNode();
    }
  }
}
