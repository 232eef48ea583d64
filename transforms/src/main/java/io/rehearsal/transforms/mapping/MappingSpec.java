package io.rehearsal.transforms.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.MappingErrors.quote;

import io.rehearsal.transforms.schema.CanonicalTables;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * A declarative mapping of one source table onto the canonical events, users and items tables (see
 * docs/import-mapping.md). Constructing one checks everything that does not need the source's schema;
 * {@link SourceMapping} checks the rest. Every error names {@code origin} (the mapping file) and the
 * field path, e.g. {@code events.columns.event_ts.format}.
 *
 * @param origin how messages name the mapping, e.g. {@code "Mapping conf/mappings/online-retail.yaml"}
 * @param timeZone the zone wall-clock source timestamps are read in (stored as UTC instants)
 * @param eventColumns canonical event column to value; event_id is generated, event_type comes from rules
 * @param eventTypeRules ordered; the first rule whose condition holds gives the event type
 * @param quantitySigns expected sign of the source quantity per event type (positive when not listed)
 * @param exclusions ordered, named; excluded rows are counted per name
 * @param itemColumns items columns derived from the kept events of each item_id
 * @param userColumns users columns derived from the kept events of each user_id
 */
public record MappingSpec(
    String origin,
    String timeZone,
    Map<String, ValueSpec> eventColumns,
    List<EventTypeRule> eventTypeRules,
    Map<String, QuantitySign> quantitySigns,
    List<ExclusionRule> exclusions,
    Map<String, DerivedColumn> itemColumns,
    Map<String, DerivedColumn> userColumns) {

  /** Event columns a mapping must give. */
  public static final List<String> REQUIRED_EVENT_COLUMNS = List.of("user_id", "item_id", "event_ts", "quantity");

  /** Reason names the import itself uses; exclusion rules may not take them. */
  public static final String MISSING_PREFIX = "missing_";
  public static final String UNPARSEABLE_PREFIX = "unparseable_";
  public static final String NO_EVENT_TYPE = "no_event_type";
  public static final String QUANTITY_SIGN_MISMATCH = "quantity_sign_mismatch";

  private static final Pattern RULE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  public MappingSpec {
    Objects.requireNonNull(origin, "origin");
    eventColumns = orderedCopy(eventColumns);
    eventTypeRules = List.copyOf(eventTypeRules == null ? List.of() : eventTypeRules);
    quantitySigns = orderedCopy(quantitySigns);
    exclusions = List.copyOf(exclusions == null ? List.of() : exclusions);
    itemColumns = orderedCopy(itemColumns);
    userColumns = orderedCopy(userColumns);
    validate(origin, timeZone, eventColumns, eventTypeRules, quantitySigns, exclusions, itemColumns, userColumns);
  }

  /** The mappable event columns: every canonical column except the generated event_id and the rule-given event_type. */
  public static List<String> mappableEventColumns() {
    List<String> names = new ArrayList<>();
    for (StructField f : CanonicalTables.EVENTS_SCHEMA.fields()) {
      if (!f.name().equals("event_id") && !f.name().equals("event_type")) {
        names.add(f.name());
      }
    }
    return names;
  }

  /** The derivable columns of users or items: every canonical column except the key. */
  public static List<String> derivableColumns(StructType schema, String key) {
    List<String> names = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(key)) {
        names.add(f.name());
      }
    }
    return names;
  }

  private static void validate(
      String origin,
      String timeZone,
      Map<String, ValueSpec> eventColumns,
      List<EventTypeRule> eventTypeRules,
      Map<String, QuantitySign> quantitySigns,
      List<ExclusionRule> exclusions,
      Map<String, DerivedColumn> itemColumns,
      Map<String, DerivedColumn> userColumns) {
    checkTimeZone(origin, timeZone);
    checkEventColumns(origin, eventColumns);
    checkEventTypeRules(origin, eventTypeRules);
    checkQuantitySigns(origin, quantitySigns);
    checkExclusions(origin, exclusions);
    checkDerived(origin, "items", CanonicalTables.ITEMS_SCHEMA, "item_id", itemColumns);
    checkDerived(origin, "users", CanonicalTables.USERS_SCHEMA, "user_id", userColumns);
  }

  private static void checkTimeZone(String origin, String timeZone) {
    String expected = "a time zone id such as 'Europe/London' or 'UTC'";
    if (timeZone == null || timeZone.isBlank()) {
      throw invalid(origin, "time_zone", "is missing", expected, quote(timeZone),
          "add time_zone at the top level: wall-clock timestamps in the source are read in that zone");
    }
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw invalid(origin, "time_zone", "is not a known time zone", expected, quote(timeZone),
          "use a region id from the IANA time zone database (https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)", e);
    }
  }

  private static void checkEventColumns(String origin, Map<String, ValueSpec> columns) {
    List<String> mappable = mappableEventColumns();
    for (Map.Entry<String, ValueSpec> e : columns.entrySet()) {
      String name = e.getKey();
      String path = "events.columns." + name;
      if (name.equals("event_id")) {
        throw invalid(origin, path, "cannot be mapped", "one of " + mappable, quote(name),
            "remove it: event_id is generated from the source row's content and its occurrence number");
      }
      if (name.equals("event_type")) {
        throw invalid(origin, path, "cannot be mapped", "one of " + mappable, quote(name),
            "remove it and declare events.event_types rules (when -> type) instead");
      }
      if (!mappable.contains(name)) {
        throw invalid(origin, path, "is not a canonical event column", "one of " + mappable, quote(name),
            "rename it to a canonical column or remove it");
      }
      checkValue(origin, path, CanonicalTables.EVENTS_SCHEMA.apply(name).dataType(), e.getValue());
    }
    for (String required : REQUIRED_EVENT_COLUMNS) {
      if (!columns.containsKey(required)) {
        throw invalid(origin, "events.columns." + required, "is missing",
            "a source, expr or constant for the required canonical column " + required, "nothing",
            "add events.columns." + required);
      }
    }
  }

  private static void checkValue(String origin, String path, DataType target, ValueSpec value) {
    String field = path + "." + value.kind().field();
    if (value.kind() == ValueSpec.Kind.CONSTANT) {
      try {
        ValueConversion.constantValue(target, value.text());
      } catch (IllegalArgumentException e) {
        throw invalid(origin, field, "is not a valid " + target.simpleString() + " constant", e.getMessage(),
            quote(value.text()), "correct the constant");
      }
      if (value.format() != null) {
        throw invalid(origin, path + ".format", "does not apply to a constant", "no format", quote(value.format()),
            "remove the format and write the constant in plain form");
      }
      return;
    }
    if (value.text().isBlank()) {
      throw invalid(origin, field, "is empty",
          value.kind() == ValueSpec.Kind.SOURCE ? "a source column name" : "a Spark SQL expression", quote(value.text()),
          "fill it in or remove the column");
    }
    if (value.format() == null) {
      return;
    }
    if (!ValueConversion.takesFormat(target)) {
      throw invalid(origin, path + ".format", "does not apply to a " + target.simpleString() + " column",
          "no format (formats parse timestamp and money values)", quote(value.format()), "remove the format");
    }
    if (target instanceof TimestampType) {
      String problem = DatetimePatterns.problem(value.format());
      if (problem != null) {
        throw invalid(origin, path + ".format", "is not a valid datetime pattern (" + problem + ")",
            "a Spark datetime pattern without zone or offset letters, such as 'yyyy-MM-dd HH:mm:ss'",
            quote(value.format()),
            "write a pattern as in https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html");
      }
    } else if (!ValueConversion.DECIMAL_FORMAT.matcher(value.format()).matches()) {
      throw invalid(origin, path + ".format", "is not a valid number format",
          "a Spark to_number format made of 0 9 . , D G S $ MI PR, such as '999,999.99'", quote(value.format()),
          "see the to_number function in the Spark SQL reference");
    }
  }

  private static void checkEventTypeRules(String origin, List<EventTypeRule> rules) {
    if (rules.isEmpty()) {
      throw invalid(origin, "events.event_types", "is missing",
          "at least one rule {when: <SQL condition>, type: <event type>}", "none",
          "add e.g. events.event_types: [{when: \"true\", type: purchase}]");
    }
    for (int i = 0; i < rules.size(); i++) {
      EventTypeRule rule = rules.get(i);
      String path = "events.event_types[" + i + "]";
      if (rule.when().isBlank()) {
        throw invalid(origin, path + ".when", "is empty", "a boolean Spark SQL expression over the source columns",
            quote(rule.when()), "write the condition, e.g. \"true\" for a catch-all last rule");
      }
      if (!CanonicalTables.EVENT_TYPES.contains(rule.eventType())) {
        throw invalid(origin, path + ".type", "is not a canonical event type", "one of " + CanonicalTables.EVENT_TYPES,
            quote(rule.eventType()), "map the source's notion onto one of the canonical event types");
      }
    }
  }

  private static void checkQuantitySigns(String origin, Map<String, QuantitySign> signs) {
    for (Map.Entry<String, QuantitySign> e : signs.entrySet()) {
      if (!CanonicalTables.EVENT_TYPES.contains(e.getKey())) {
        throw invalid(origin, "events.quantity_sign." + e.getKey(), "is not a canonical event type",
            "one of " + CanonicalTables.EVENT_TYPES, quote(e.getKey()), "key quantity_sign by canonical event type");
      }
      Objects.requireNonNull(e.getValue(), "quantity sign of " + e.getKey());
    }
  }

  private static void checkExclusions(String origin, List<ExclusionRule> exclusions) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < exclusions.size(); i++) {
      ExclusionRule rule = exclusions.get(i);
      String path = "exclusions[" + i + "]";
      if (!RULE_NAME.matcher(rule.name()).matches()) {
        throw invalid(origin, path + ".name", "is not a valid rule name", "lower_snake_case matching " + RULE_NAME.pattern(),
            quote(rule.name()), "rename the rule; the name is the reason its rows are counted under");
      }
      if (isReservedReason(rule.name())) {
        throw invalid(origin, path + ".name", "is reserved",
            "a name not starting with '" + MISSING_PREFIX + "' or '" + UNPARSEABLE_PREFIX + "' and not '" + NO_EVENT_TYPE
                + "' or '" + QUANTITY_SIGN_MISMATCH + "'",
            quote(rule.name()), "rename the rule; the import counts its own exclusions under these names");
      }
      if (!seen.add(rule.name())) {
        throw invalid(origin, path + ".name", "repeats an earlier rule name", "a name unique among exclusions",
            quote(rule.name()), "rename one of the rules or merge their conditions with OR");
      }
      if (rule.when().isBlank()) {
        throw invalid(origin, path + ".when", "is empty", "a boolean Spark SQL expression over the source columns",
            quote(rule.when()), "write the condition or remove the rule");
      }
    }
  }

  static boolean isReservedReason(String name) {
    return name.startsWith(MISSING_PREFIX) || name.startsWith(UNPARSEABLE_PREFIX) || name.equals(NO_EVENT_TYPE)
        || name.equals(QUANTITY_SIGN_MISMATCH);
  }

  private static void checkDerived(String origin, String table, StructType schema, String key, Map<String, DerivedColumn> columns) {
    List<String> derivable = derivableColumns(schema, key);
    for (Map.Entry<String, DerivedColumn> e : columns.entrySet()) {
      String name = e.getKey();
      String path = table + ".columns." + name;
      if (name.equals(key)) {
        throw invalid(origin, path, "cannot be mapped", "one of " + derivable, quote(name),
            "remove it: " + table + " has one row per distinct " + key + " of the kept events");
      }
      if (!derivable.contains(name)) {
        throw invalid(origin, path, "is not a canonical " + table + " column", "one of " + derivable, quote(name),
            "rename it to a canonical column or remove it");
      }
      DerivedColumn column = e.getValue();
      checkValue(origin, path, schema.apply(name).dataType(), column.value());
      boolean constant = column.value().kind() == ValueSpec.Kind.CONSTANT;
      if (constant && column.aggregation() != null) {
        throw invalid(origin, path + ".aggregate", "does not apply to a constant", "no aggregate",
            quote(column.aggregation().label()), "remove the aggregate");
      }
      if (constant && column.where() != null) {
        throw invalid(origin, path + ".where", "does not apply to a constant", "no where", quote(column.where()),
            "remove the where condition");
      }
      if (!constant && column.aggregation() == null) {
        throw invalid(origin, path + ".aggregate", "is missing", "one of " + Aggregation.labels(), "nothing",
            "say how the values of one " + key + "'s events combine, e.g. aggregate: most_frequent");
      }
      if (column.where() != null && column.where().isBlank()) {
        throw invalid(origin, path + ".where", "is empty", "a boolean Spark SQL expression", quote(column.where()),
            "write the condition or remove where");
      }
    }
  }

  private static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
    if (map == null) {
      return Map.of();
    }
    LinkedHashMap<K, V> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
    return Collections.unmodifiableMap(copy);
  }
}
