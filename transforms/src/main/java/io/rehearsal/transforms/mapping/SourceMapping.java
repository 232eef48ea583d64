package io.rehearsal.transforms.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.MappingErrors.quote;
import static io.rehearsal.transforms.mapping.ValueConversion.quoted;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
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
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
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
  private static final String OCCURRENCE = "__rh_occurrence";
  private static final String EVENT_TYPE = "__rh_event_type";
  private static final String RAW = "__rh_raw_";
  private static final String PARSED = "__rh_parsed_";
  private static final String VALUE = "__rh_value_";
  private static final String TYPE_RULE = "__rh_type_rule_";
  private static final String EXCLUSION = "__rh_exclusion_";
  private static final String WHERE = "__rh_where_";
  private static final String AGG = "__rh_agg_";
  private static final String SORTED = "__rh_sorted_";
  private static final String CANDIDATE = "__rh_candidate_";
  private static final String KEY = "__rh_key";
  private static final String ROWS = "__rh_rows";

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
    Compiler compiler = new Compiler(spec.origin(), source, sourceColumns, "the source columns " + sourceColumns);

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
      Compiled value = compiler.value(path, e.getValue(), target);
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

    Dataset<Row> items = derivedTable(spec, "items", kept, sourceColumns, "item_id", spec.itemColumns(), CanonicalTables.ITEMS_SCHEMA);
    Dataset<Row> users = derivedTable(spec, "users", kept, sourceColumns, "user_id", spec.userColumns(), CanonicalTables.USERS_SCHEMA);
    Dataset<Row> outcomes = rows
        .groupBy(col(REASON).as("reason"), col(EVENT + ".event_type").as("event_type"))
        .agg(count(lit(1)).as("rows"));
    return new MappedTables(eventsTable, users, items, outcomes, annotated.reasons());
  }

  private static Dataset<Row> derivedTable(
      MappingSpec spec, String table, Dataset<Row> kept, List<String> sourceColumns, String key,
      Map<String, DerivedColumn> columns, StructType schema) {
    boolean seesEvent = sourceColumns.stream().noneMatch(c -> c.equalsIgnoreCase(EVENT_ALIAS));
    List<Column> view = new ArrayList<>(List.of(columns(sourceColumns)));
    view.add(col(EVENT));
    if (seesEvent) {
      view.add(col(EVENT).as(EVENT_ALIAS));
    }
    view.add(nonNull(col(EVENT + "." + key), DataTypes.StringType).as(KEY));
    Dataset<Row> rows = kept.select(view.toArray(new Column[0]));
    Compiler compiler = new Compiler(spec.origin(), rows, sourceColumns,
        "the source columns " + sourceColumns + " and event.<canonical event column>");

    Map<String, ValueConversion> conversions = new LinkedHashMap<>();
    Map<String, Column> raw = new LinkedHashMap<>();
    Map<String, Column> where = new LinkedHashMap<>();
    for (Map.Entry<String, DerivedColumn> e : columns.entrySet()) {
      String name = e.getKey();
      String path = table + ".columns." + name;
      DerivedColumn column = e.getValue();
      if (column.aggregation() == null) {
        continue;
      }
      boolean usesExpressions = column.value().kind() == ValueSpec.Kind.EXPR || column.where() != null;
      if (usesExpressions && !seesEvent) {
        throw invalid(spec.origin(), path, "cannot see the mapped event",
            "a source without a column named '" + EVENT_ALIAS + "' (" + table + " expressions see the mapped event as "
                + EVENT_ALIAS + ".<column>)",
            "a source with column '" + EVENT_ALIAS + "'", "rename that source column, or use source: instead of expr:");
      }
      DataType target = schema.apply(name).dataType();
      Compiled value = compiler.value(path, column.value(), target);
      conversions.put(name, new ValueConversion(value.type(), target, column.value().format(), spec.timeZone()));
      raw.put(RAW + name, value.column());
      if (column.where() != null) {
        where.put(WHERE + name, compiler.condition(path + ".where", column.where()));
      }
    }
    rows = withColumns(rows, raw);
    rows = withColumns(rows, where);
    rows = parseAndFinish(spec, table + ".columns.", rows, conversions);

    List<Column> aggregates = new ArrayList<>();
    Map<String, Column> afterAggregation = new LinkedHashMap<>();
    List<String> mostFrequent = new ArrayList<>();
    for (String name : conversions.keySet()) {
      DerivedColumn column = columns.get(name);
      Column v = col(VALUE + name);
      if (column.where() != null) {
        v = when(col(WHERE + name), v);
      }
      Column ordered = when(v.isNotNull(), struct(col(EVENT + ".event_ts"), col(EVENT + ".event_id"), v.as("v")));
      Column aggregate;
      String alias = AGG + name;
      switch (column.aggregation()) {
        case MIN:
          aggregate = min(v);
          break;
        case MAX:
          aggregate = max(v);
          break;
        case MOST_RECENT:
          aggregate = max(ordered).getField("v");
          break;
        case EARLIEST:
          aggregate = min(ordered).getField("v");
          break;
        case MEDIAN:
          aggregate = array_sort(collect_list(v));
          alias = SORTED + name;
          Column sorted = col(alias);
          afterAggregation.put(AGG + name, get(sorted, floor(size(sorted).minus(1).divide(2)).cast(DataTypes.IntegerType)));
          break;
        case MOST_FREQUENT:
          rows = rows.withColumn(CANDIDATE + name, v);
          mostFrequent.add(name);
          continue;
        default:
          throw new IllegalStateException("Unhandled aggregation " + column.aggregation());
      }
      aggregates.add(compiler.aggregate(table + ".columns." + name + ".aggregate", rows, aggregate, column.aggregation()).as(alias));
    }
    aggregates.add(0, count(lit(1)).as(ROWS));
    Dataset<Row> result = rows.groupBy(col(KEY))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
    result = withColumns(result, afterAggregation);
    for (String name : mostFrequent) {
      result = joinMostFrequent(spec, table, rows, result, name);
    }

    List<Column> out = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Column value;
      DerivedColumn column = columns.get(field.name());
      if (field.name().equals(key)) {
        value = col(KEY);
      } else if (column == null) {
        value = lit(null).cast(field.dataType());
      } else if (column.aggregation() == null) {
        value = asNullable(lit(ValueConversion.constantValue(field.dataType(), column.value().text())).cast(field.dataType()));
      } else {
        value = asNullable(col(AGG + field.name()).cast(field.dataType()));
      }
      out.add(value.as(field.name()));
    }
    return checkSchema(result.select(out.toArray(new Column[0])), schema);
  }

  /** Most frequent non-null value per key; ties go to the smallest value. */
  private static Dataset<Row> joinMostFrequent(MappingSpec spec, String table, Dataset<Row> rows, Dataset<Row> result, String name) {
    String candidate = CANDIDATE + name;
    String otherKey = KEY + "_" + name;
    Dataset<Row> top;
    try {
      top = rows.filter(col(candidate).isNotNull())
          .groupBy(col(KEY).as(otherKey), col(candidate).as(AGG + name))
          .agg(count(lit(1)).as(ROWS))
          .withColumn(OCCURRENCE, row_number().over(
              Window.partitionBy(col(otherKey)).orderBy(col(ROWS).desc(), col(AGG + name).asc())))
          .filter(col(OCCURRENCE).equalTo(1))
          .drop(ROWS, OCCURRENCE);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(spec.origin(), table + ".columns." + name + ".aggregate", "cannot be computed for this value",
            "a value type that can be compared (most_frequent breaks ties by the smallest value)", "'most_frequent' ("
                + firstLine(e) + ")", "aggregate a comparable value, e.g. a string or a number", e);
      }
      throw e;
    }
    return result.join(top, result.col(KEY).equalTo(top.col(otherKey)), "left").drop(otherKey);
  }

  private static Dataset<Row> parseAndFinish(
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
  private static Column asNullable(Column c) {
    return when(c.isNotNull(), c);
  }

  /**
   * Marks a column non-nullable in the schema. Only used where the exclusion reasons already guarantee a
   * value (kept rows have every required column), so the default never appears in the output.
   */
  private static Column nonNull(Column c, DataType type) {
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

  private static Dataset<Row> checkSchema(Dataset<Row> table, StructType expected) {
    if (!table.schema().equals(expected)) {
      throw new IllegalStateException("Mapped table schema " + table.schema().simpleString() + " differs from the canonical "
          + expected.simpleString());
    }
    return table;
  }

  private static Dataset<Row> withColumns(Dataset<Row> ds, Map<String, Column> added) {
    if (added.isEmpty()) {
      return ds;
    }
    List<Column> all = new ArrayList<>(List.of(columns(List.of(ds.columns()))));
    added.forEach((name, c) -> all.add(c.as(name)));
    return ds.select(all.toArray(new Column[0]));
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(n -> col(quoted(n))).toArray(Column[]::new);
  }

  static String firstLine(Throwable e) {
    String message = e instanceof AnalysisException ? ((AnalysisException) e).getSimpleMessage() : e.getMessage();
    return RehearsalException.firstLine(message, e.getClass().getSimpleName());
  }

  private record Compiled(Column column, DataType type) {}

  /** Compiles the mapping's values and conditions against one frame, naming the field path in every error. */
  private static final class Compiler {
    private final String origin;
    private final Dataset<Row> frame;
    private final List<String> sourceColumns;
    private final String scope;

    Compiler(String origin, Dataset<Row> frame, List<String> sourceColumns, String scope) {
      this.origin = origin;
      this.frame = frame;
      this.sourceColumns = sourceColumns;
      this.scope = scope;
    }

    Compiled value(String path, ValueSpec value, DataType target) {
      String field = path + "." + value.kind().field();
      Compiled compiled;
      switch (value.kind()) {
        case SOURCE:
          if (!sourceColumns.contains(value.text())) {
            throw invalid(origin, field, "refers to an unknown source column", "one of " + sourceColumns,
                quote(value.text()), "use one of the source's column names (they are case-sensitive)");
          }
          compiled = new Compiled(col(quoted(value.text())), frame.schema().apply(value.text()).dataType());
          break;
        case EXPR:
          compiled = expression(field, value.text());
          break;
        case CONSTANT:
          Column constant = lit(ValueConversion.constantValue(target, value.text()));
          compiled = new Compiled(constant, frame.select(constant).schema().fields()[0].dataType());
          break;
        default:
          throw new IllegalStateException("Unhandled value kind " + value.kind());
      }
      if (!ValueConversion.accepts(target, compiled.type())) {
        throw invalid(origin, field, "has a type that cannot become " + target.simpleString(),
            ValueConversion.acceptedTypes(target), compiled.type().simpleString(),
            "convert it with an expr, e.g. CAST(... AS STRING)");
      }
      if (value.format() != null && !(compiled.type() instanceof StringType)) {
        throw invalid(origin, path + ".format", "applies only to string values", "a string value to parse",
            "a value of type " + compiled.type().simpleString(), "remove the format: the value is already typed");
      }
      return compiled;
    }

    Column condition(String path, String sql) {
      Compiled compiled = expression(path, sql);
      if (!(compiled.type() instanceof BooleanType)) {
        throw invalid(origin, path, "is not a condition", "a boolean expression", "type " + compiled.type().simpleString()
            + " from " + quote(sql), "compare the value, e.g. Quantity < 0");
      }
      return compiled.column();
    }

    Compiled expression(String path, String sql) {
      Column column;
      try {
        column = expr(sql);
      } catch (Exception e) {
        if (e instanceof AnalysisException) {
          throw invalid(origin, path, "is not a valid Spark SQL expression", "an expression over " + scope,
              quote(sql) + " (" + firstLine(e) + ")", "correct the SQL syntax", e);
        }
        throw e;
      }
      Dataset<Row> probe;
      try {
        probe = frame.select(column);
      } catch (Exception e) {
        if (e instanceof AnalysisException) {
          throw invalid(origin, path, "cannot be evaluated", "an expression over " + scope,
              quote(sql) + " (" + firstLine(e) + ")", "refer only to existing columns and Spark SQL functions", e);
        }
        throw e;
      }
      LogicalPlan plan = probe.queryExecution().analyzed();
      if (!(plan instanceof Project) || !((Project) plan).child().equals(frame.queryExecution().analyzed())) {
        throw invalid(origin, path, "is not a row-level expression",
            "an expression without aggregate, window or generator functions", quote(sql),
            "compute one value per source row; users and items columns aggregate with 'aggregate'");
      }
      if (!plan.deterministic()) {
        throw invalid(origin, path, "is not deterministic", "a deterministic expression (imports must be reproducible)",
            quote(sql), "remove rand(), uuid(), shuffle() and similar functions");
      }
      return new Compiled(column, probe.schema().fields()[0].dataType());
    }

    /** Checks that an aggregate resolves over the staged rows (e.g. median needs comparable values). */
    Column aggregate(String path, Dataset<Row> rows, Column aggregate, Aggregation aggregation) {
      try {
        rows.groupBy(col(KEY)).agg(aggregate);
      } catch (Exception e) {
        if (e instanceof AnalysisException) {
          throw invalid(origin, path, "cannot be computed for this value", "a value type that " + aggregation.label()
              + " can order", quote(aggregation.label()) + " (" + firstLine(e) + ")",
              "aggregate a comparable value, e.g. a string, number or timestamp", e);
        }
        throw e;
      }
      return aggregate;
    }
  }
}
