package io.rehearsal.transforms.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.MappingErrors.quote;
import static io.rehearsal.transforms.mapping.ValueConversion.quoted;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.schema.CanonicalTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Maps a source table onto the canonical events, users and items tables as a {@link MappingSpec}
 * declares. Pure: no IO, no actions; every DataFrame it returns is lazy. All checks that need the
 * source's schema (unknown columns, expressions that do not parse or resolve, wrong types) run while
 * the plans are built, before anything executes.
 *
 * <p>Per source row, in this order, the first matching reason excludes it (so every row is counted
 * exactly once): a required event column that is missing ({@code missing_<column>}: null or blank) or
 * cannot be converted ({@code unparseable_<column>}), in canonical column order; the exclusion rules in
 * declared order; no event-type rule matching ({@code no_event_type}); a quantity of the wrong sign for
 * its event type ({@code quantity_sign_mismatch}). Optional columns that cannot be converted exclude the
 * row too ({@code unparseable_<column>}), so no value is dropped silently.
 *
 * <p>{@code event_id} is the first 32 hex digits of SHA-256 over (the SHA-256 of the source row's JSON,
 * the row's occurrence number among rows with identical content). Identical source lines therefore get
 * distinct ids, and the ids do not depend on partitioning or row order.
 */
public final class SourceMapping {

  /** Internal column names start with this; source columns may not. */
  public static final String RESERVED_PREFIX = "__rh_";
  /** Column of the annotated rows holding the mapped canonical event, a struct in canonical column order. */
  public static final String EVENT = "__rh_event";
  /** Column of the annotated rows: the exclusion reason, null when the row is kept. */
  public static final String REASON = "__rh_reason";
  /** The name under which users/items expressions see the mapped event: {@code event.unit_price}. */
  public static final String EVENT_ALIAS = "event";

  private static final String EVENT_ID = "__rh_event_id";
  private static final String CONTENT = "__rh_content";
  static final String OCCURRENCE = "__rh_occurrence";
  private static final String EVENT_TYPE = "__rh_event_type";
  static final String RAW = "__rh_raw_";
  private static final String PARSED = "__rh_parsed_";
  static final String VALUE = "__rh_value_";
  private static final String TYPE_RULE = "__rh_type_rule_";
  private static final String EXCLUSION = "__rh_exclusion_";
  static final String WHERE = "__rh_where_";
  static final String AGG = "__rh_agg_";
  static final String SORTED = "__rh_sorted_";
  static final String CANDIDATE = "__rh_candidate_";
  static final String KEY = "__rh_key";
  static final String ROWS = "__rh_rows";

  /** JSON rendering of the source row for its content hash: independent of the session time zone, microsecond precise. */
  private static final Map<String, String> CONTENT_JSON = Map.of(
      "timeZone", "UTC",
      "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
      "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
      "dateFormat", "yyyy-MM-dd");

  private SourceMapping() {}

  /** {@link #annotate} then {@link #derive}. */
  public static MappedTables apply(Dataset<Row> source, MappingSpec spec) {
    return derive(annotate(source, spec), spec);
  }

  /** Maps every source row to its canonical event and exclusion reason; checks the spec against the source schema. */
  public static AnnotatedRows annotate(Dataset<Row> source, MappingSpec spec) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
    List<String> sourceColumns = List.of(source.columns());
    for (String name : sourceColumns) {
      if (name.startsWith(RESERVED_PREFIX)) {
        throw invalid(spec.origin(), "source", "has a column with a reserved name",
            "column names not starting with '" + RESERVED_PREFIX + "'", quote(name), "rename the column in the source");
      }
    }
    MappingCompiler compiler = new MappingCompiler(spec.origin(), source, sourceColumns,
        "the source columns " + sourceColumns);

    Column content = sha2(to_json(struct(columns(sourceColumns)), CONTENT_JSON), 256);
    Dataset<Row> staged = source
        .withColumn(CONTENT, content)
        // Rows in one partition have identical content, so any order among them gives the same ids.
        .withColumn(OCCURRENCE, row_number().over(Window.partitionBy(col(CONTENT)).orderBy(col(CONTENT))))
        .withColumn(EVENT_ID, substring(sha2(concat_ws(":", col(CONTENT), col(OCCURRENCE).cast("string")), 256), 1, 32))
        .drop(CONTENT, OCCURRENCE);

    Map<String, ValueConversion> conversions = new LinkedHashMap<>();
    Map<String, Column> raw = new LinkedHashMap<>();
    for (Map.Entry<String, ValueSpec> e : spec.eventColumns().entrySet()) {
      String name = e.getKey();
      String path = "events.columns." + name;
      DataType target = CanonicalTables.EVENTS_SCHEMA.apply(name).dataType();
      MappingCompiler.Compiled value = compiler.value(path, e.getValue(), target);
      conversions.put(name, new ValueConversion(value.type(), target, e.getValue().format(), spec.timeZone()));
      raw.put(RAW + name, value.column());
    }
    for (int i = 0; i < spec.eventTypeRules().size(); i++) {
      raw.put(TYPE_RULE + i, compiler.condition("events.event_types[" + i + "].when", spec.eventTypeRules().get(i).when()));
    }
    for (int i = 0; i < spec.exclusions().size(); i++) {
      raw.put(EXCLUSION + i, compiler.condition("exclusions[" + i + "].when", spec.exclusions().get(i).when()));
    }
    staged = withColumns(staged, raw);
    staged = parseAndFinish(spec, "events.columns.", staged, conversions);

    Column eventType = null;
    for (int i = 0; i < spec.eventTypeRules().size(); i++) {
      Column matches = col(TYPE_RULE + i);
      Column type = lit(spec.eventTypeRules().get(i).eventType());
      eventType = eventType == null ? when(matches, type) : eventType.when(matches, type);
    }
    staged = staged.withColumn(EVENT_TYPE, eventType);

    Column quantity = col(VALUE + "quantity");
    Column quantityOk = null;
    Column canonicalQuantity = null;
    for (String type : CanonicalTables.EVENT_TYPES) {
      QuantitySign sign = spec.quantitySigns().getOrDefault(type, QuantitySign.POSITIVE);
      Column isType = col(EVENT_TYPE).equalTo(type);
      Column ok = signOk(sign, quantity);
      Column value = sign == QuantitySign.POSITIVE ? quantity : sign == QuantitySign.NEGATIVE ? negate(quantity) : abs(quantity);
      quantityOk = quantityOk == null ? when(isType, ok) : quantityOk.when(isType, ok);
      canonicalQuantity = canonicalQuantity == null ? when(isType, value) : canonicalQuantity.when(isType, value);
    }

    List<String> reasons = new ArrayList<>();
    Column reason = null;
    for (StructField field : CanonicalTables.EVENTS_SCHEMA.fields()) {
      ValueConversion conversion = conversions.get(field.name());
      if (conversion == null) {
        continue;
      }
      if (!field.nullable()) {
        String name = MappingSpec.MISSING_PREFIX + field.name();
        reason = addReason(reason, conversion.missing(RAW + field.name()), name);
        reasons.add(name);
      }
      if (conversion.mayFail()) {
        String name = MappingSpec.UNPARSEABLE_PREFIX + field.name();
        Column unparseable = not(conversion.missing(RAW + field.name())).and(col(VALUE + field.name()).isNull());
        reason = addReason(reason, unparseable, name);
        reasons.add(name);
      }
    }
    for (int i = 0; i < spec.exclusions().size(); i++) {
      String name = spec.exclusions().get(i).name();
      reason = addReason(reason, col(EXCLUSION + i), name);
      reasons.add(name);
    }
    reason = addReason(reason, col(EVENT_TYPE).isNull(), MappingSpec.NO_EVENT_TYPE);
    reasons.add(MappingSpec.NO_EVENT_TYPE);
    reason = addReason(reason, not(coalesce(quantityOk, lit(false))), MappingSpec.QUANTITY_SIGN_MISMATCH);
    reasons.add(MappingSpec.QUANTITY_SIGN_MISMATCH);

    List<Column> event = new ArrayList<>();
    for (StructField field : CanonicalTables.EVENTS_SCHEMA.fields()) {
      Column value;
      if (field.name().equals("event_id")) {
        value = col(EVENT_ID);
      } else if (field.name().equals("event_type")) {
        value = col(EVENT_TYPE);
      } else if (field.name().equals("quantity")) {
        value = canonicalQuantity;
      } else if (conversions.containsKey(field.name())) {
        value = col(VALUE + field.name());
      } else {
        value = lit(null).cast(field.dataType());
      }
      event.add(value.cast(field.dataType()).as(field.name()));
    }
    List<Column> out = new ArrayList<>(List.of(columns(sourceColumns)));
    out.add(struct(event.toArray(new Column[0])).as(EVENT));
    out.add(reason.as(REASON));
    return new AnnotatedRows(staged.select(out.toArray(new Column[0])), reasons);
  }

  /** Builds the canonical tables and outcome counts from annotated rows; checks the users/items columns. */
  public static MappedTables derive(AnnotatedRows annotated, MappingSpec spec) {
    Objects.requireNonNull(annotated, "annotated");
    Objects.requireNonNull(spec, "spec");
    Dataset<Row> rows = annotated.rows();
    List<String> sourceColumns = new ArrayList<>();
    for (String name : rows.columns()) {
      if (!name.equals(EVENT) && !name.equals(REASON)) {
        sourceColumns.add(name);
      }
    }
    Dataset<Row> kept = rows.filter(col(REASON).isNull());

    List<Column> events = new ArrayList<>();
    for (StructField field : CanonicalTables.EVENTS_SCHEMA.fields()) {
      Column value = col(EVENT + "." + field.name());
      events.add((field.nullable() ? asNullable(value) : nonNull(value, field.dataType())).as(field.name()));
    }
    Dataset<Row> eventsTable = checkSchema(kept.select(events.toArray(new Column[0])), CanonicalTables.EVENTS_SCHEMA);

    Dataset<Row> items = DerivedTable.of(spec, "items", kept, sourceColumns, "item_id", spec.itemColumns(),
        CanonicalTables.ITEMS_SCHEMA);
    Dataset<Row> users = DerivedTable.of(spec, "users", kept, sourceColumns, "user_id", spec.userColumns(),
        CanonicalTables.USERS_SCHEMA);
    Dataset<Row> outcomes = rows
        .groupBy(col(REASON).as("reason"), col(EVENT + ".event_type").as("event_type"))
        .agg(count(lit(1)).as("rows"));
    return new MappedTables(eventsTable, users, items, outcomes, annotated.reasons());
  }

  static Dataset<Row> parseAndFinish(
      MappingSpec spec, String pathPrefix, Dataset<Row> staged, Map<String, ValueConversion> conversions) {
    Map<String, Column> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, ValueConversion> e : conversions.entrySet()) {
      Column parse = e.getValue().parse(RAW + e.getKey());
      try {
        staged.select(parse);
      } catch (Exception ex) {
        if (ex instanceof AnalysisException && e.getValue().hasFormat()) {
          throw invalid(spec.origin(), pathPrefix + e.getKey() + ".format", "cannot parse values",
              "a valid format for " + e.getValue().targetDescription(), quote(e.getValue().format()) + " (" + firstLine(ex) + ")",
              "correct the format", ex);
        }
        throw ex;
      }
      parsed.put(PARSED + e.getKey(), parse);
    }
    staged = withColumns(staged, parsed);
    Map<String, Column> finished = new LinkedHashMap<>();
    for (Map.Entry<String, ValueConversion> e : conversions.entrySet()) {
      finished.put(VALUE + e.getKey(), e.getValue().finish(PARSED + e.getKey()));
    }
    return withColumns(staged, finished);
  }

  private static Column signOk(QuantitySign sign, Column quantity) {
    // Integer.MIN_VALUE has no positive counterpart in INT, so it can never be negated into a quantity.
    Column negatable = quantity.gt(Integer.MIN_VALUE);
    switch (sign) {
      case POSITIVE:
        return quantity.gt(0);
      case NEGATIVE:
        return quantity.lt(0).and(negatable);
      case ANY:
        return quantity.notEqual(0).and(negatable);
      default:
        throw new IllegalStateException("Unhandled sign " + sign);
    }
  }

  private static Column addReason(Column chain, Column condition, String reason) {
    return chain == null ? when(condition, lit(reason)) : chain.when(condition, lit(reason));
  }

  /**
   * Marks a column nullable in the schema. {@code CASE WHEN c IS NOT NULL THEN c END} has the value of c
   * but is nullable for the analyzer, so a constant ends up in a nullable canonical column.
   */
  static Column asNullable(Column c) {
    return when(c.isNotNull(), c);
  }

  /**
   * Marks a column non-nullable in the schema. Only used where the exclusion reasons already guarantee a
   * value (kept rows have every required column), so the default never appears in the output.
   */
  static Column nonNull(Column c, DataType type) {
    Object fallback;
    if (type instanceof StringType) {
      fallback = "";
    } else if (type instanceof IntegerType) {
      fallback = 0;
    } else if (type instanceof TimestampType) {
      fallback = Instant.EPOCH;
    } else {
      throw new IllegalStateException("No non-null fallback for " + type.simpleString());
    }
    return coalesce(c, lit(fallback).cast(type));
  }

  static Dataset<Row> checkSchema(Dataset<Row> table, StructType expected) {
    if (!table.schema().equals(expected)) {
      throw new IllegalStateException("Mapped table schema " + table.schema().simpleString() + " differs from the canonical "
          + expected.simpleString());
    }
    return table;
  }

  static Dataset<Row> withColumns(Dataset<Row> ds, Map<String, Column> added) {
    if (added.isEmpty()) {
      return ds;
    }
    List<Column> all = new ArrayList<>(List.of(columns(List.of(ds.columns()))));
    added.forEach((name, c) -> all.add(c.as(name)));
    return ds.select(all.toArray(new Column[0]));
  }

  static Column[] columns(List<String> names) {
    return names.stream().map(n -> col(quoted(n))).toArray(Column[]::new);
  }

  static String firstLine(Throwable e) {
    String message = e instanceof AnalysisException ? ((AnalysisException) e).getSimpleMessage() : e.getMessage();
    return RehearsalException.firstLine(message, e.getClass().getSimpleName());
  }
}
