package io.rehearsal.transforms.features;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Point-in-time rolling features: daily as-of rows per entity, one column per declared feature × window.
 *
 * <h2>Point-in-time rule</h2>
 * The row for as-of day D (a UTC calendar day) has the as-of instant D 00:00:00 UTC. It uses only events
 * with {@code event_ts < D 00:00} and, when {@code ingested_at} is not null, {@code ingested_at < D 00:00}.
 * A window of N days covers {@code event_ts >= (D − N days) 00:00}; so the 7-day window of D covers the
 * event days D−7 … D−1 and never the as-of day itself. With E the UTC day of {@code event_ts}, I the UTC
 * day of {@code ingested_at} and the <em>visible day</em> V = max(E, I) + 1 (V = E + 1 without
 * {@code ingested_at}), an event contributes to the N-day window of exactly the as-of days D in
 * [V, E + N]. Late events (V &gt; E + 1) therefore never leak into earlier days, and an event at exactly
 * D 00:00:00 belongs to the history of D + 1, not of D.
 *
 * <h2>Rows</h2>
 * One row per (entity, as-of day D) in [start, end] for every entity with at least one visible event
 * (any event, whatever the feature filters) inside the entity's activity window: the longest window
 * declared for that entity. Columns: the entity's id column ({@code user_id} or {@code item_id}),
 * {@code as_of_date} (DATE) and the features in declaration order, named {@code <feature>_<N>d}
 * (windowless DAYS_SINCE_LAST: {@code <feature>}).
 *
 * <h2>How windows are derived</h2>
 * Events are aggregated once into daily partials per (entity, E, V). On-time partials (V = E + 1) are
 * placed at their visible day and every window is a range frame over the as-of day axis of one sorted
 * pass per entity: COUNT and SUM/AVG of exact types (integers, decimals) as differences of two running
 * prefix sums (exact, O(1) per row); SUM/AVG of floating-point values, MIN, MAX and COUNT_DISTINCT
 * (set union of the daily sets) over the sliding frame itself, never by subtracting cumulative values.
 * Late partials (V &gt; E + 1, typically about 1% of them) are expanded to the as-of days they cover and
 * merged into the same frame pass on their own day only. DAYS_SINCE_LAST is a running maximum of the
 * last matching event day ordered by visible day. Nothing is collected to the driver; the only
 * driver-side work is the bounds of the day grid.
 *
 * <p>Empty windows: COUNT, COUNT_DISTINCT and SUM give 0; AVG, MIN, MAX and DAYS_SINCE_LAST give null;
 * RATIO is null when its denominator is null or 0.
 */
public final class RollingFeatures {

  public static final String AS_OF_DATE = "as_of_date";

  private static final Set<String> RESERVED = Set.of(AS_OF_DATE, "user_id", "item_id");

  private final List<FeatureSpec> specs;

  private RollingFeatures(List<FeatureSpec> specs) {
    this.specs = specs;
  }

  /** Validates the specs (each on its own, then names and ratio operands across them). */
  public static RollingFeatures of(List<FeatureSpec> specs) {
    RehearsalException.check(specs != null && !specs.isEmpty(), "Cannot compute features",
        "no feature is declared");
    Map<String, FeatureSpec> byName = new HashMap<>();
    Map<String, String> producer = new HashMap<>();
    for (FeatureSpec spec : specs) {
      if (spec == null) {
        throw RehearsalException.invalidInput("Cannot compute features", "a feature declaration is empty", null);
      }
      spec.validate();
      if (byName.put(spec.name(), spec) != null) {
        throw FeatureSpec.invalid(spec.name(), "the name is declared more than once");
      }
    }
    for (FeatureSpec spec : specs) {
      for (String column : spec.outputColumns()) {
        if (RESERVED.contains(column)) {
          throw FeatureSpec.invalid(spec.name(), "output column '" + column + "' is reserved");
        }
        String other = producer.put(spec.entity() + "/" + column, spec.name());
        if (other != null) {
          throw FeatureSpec.invalid(spec.name(), "output column '" + column + "' is also produced by feature '"
              + other + "'");
        }
      }
      if (spec.aggregate().isDerived()) {
        checkOperand(spec, "numerator", spec.numerator(), byName);
        checkOperand(spec, "denominator", spec.denominator(), byName);
      }
    }
    return new RollingFeatures(List.copyOf(specs));
  }

  private static void checkOperand(FeatureSpec ratio, String role, String operandName,
      Map<String, FeatureSpec> byName) {
    FeatureSpec operand = byName.get(operandName);
    if (operand == null) {
      throw FeatureSpec.invalid(ratio.name(), role + " '" + operandName + "' is not a declared feature");
    }
    if (operand.entity() != ratio.entity()) {
      throw FeatureSpec.invalid(ratio.name(), role + " '" + operandName + "' is a " + operand.entity()
          + " feature, the ratio is a " + ratio.entity() + " feature");
    }
    if (operand.aggregate().isDerived() || operand.aggregate() == Aggregate.ATTRIBUTE) {
      throw FeatureSpec.invalid(ratio.name(), role + " '" + operandName + "' is a " + operand.aggregate()
          + " feature; " + ratio.aggregate() + " takes event aggregates (COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT, "
          + "LAST, TOP_SHARE, DAYS_SINCE_LAST)");
    }
    if (ratio.windows().isEmpty() && !operand.windows().isEmpty()) {
      throw FeatureSpec.invalid(ratio.name(), role + " '" + operandName + "' has windows " + operand.windows()
          + "; a windowless " + ratio.aggregate() + " needs windowless operands");
    }
    for (Integer window : ratio.windows()) {
      if (!operand.windows().contains(window)) {
        throw FeatureSpec.invalid(ratio.name(), role + " '" + operandName + "' has no " + window
            + "-day window (it declares " + operand.windows() + ")");
      }
    }
  }

  public List<FeatureSpec> specs() {
    return specs;
  }

  /** The declared features of one entity, in declaration order. */
  public List<FeatureSpec> specsOf(Entity entity) {
    return specs.stream().filter(s -> s.entity() == entity).toList();
  }

  /** The output columns for one entity: id column, {@code as_of_date}, then the feature columns. */
  public List<String> outputColumns(Entity entity) {
    List<String> columns = new ArrayList<>(List.of(entity.idColumn(), AS_OF_DATE));
    for (FeatureSpec spec : specsOf(entity)) {
      columns.addAll(spec.outputColumns());
    }
    return columns;
  }

  /**
   * Daily as-of feature rows of one entity for the as-of days [start, end] (both inclusive, step one day)
   * from events in the canonical schema; see the class comment for the rule and the rows produced.
   */
  public Dataset<Row> compute(Dataset<Row> events, Entity entity, LocalDate start, LocalDate end) {
    return compute(events, null, entity, start, end);
  }

  /**
   * As {@link #compute(Dataset, Entity, LocalDate, LocalDate)}, with the entity table (one row per id)
   * that ATTRIBUTE features are evaluated on; it may be null when no ATTRIBUTE feature is declared.
   */
  public Dataset<Row> compute(Dataset<Row> events, Dataset<Row> entityTable, Entity entity, LocalDate start,
      LocalDate end) {
    return compute(events, entityTable, entity, start, end, null);
  }

  /**
   * The rows {@link #compute(Dataset, Dataset, Entity, LocalDate, LocalDate)} gives for each of the as-of
   * {@code days} (any set, e.g. two windows and a weekly series), from one pass over the events: each row
   * equals the row of a computation over that day alone, because every window is a range frame over the
   * day axis (a day's frame holds the same partials whatever the other days are).
   */
  public Dataset<Row> compute(Dataset<Row> events, Dataset<Row> entityTable, Entity entity,
      SortedSet<LocalDate> days) {
    if (days == null || days.isEmpty()) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "at least one as-of day is needed, got " + days, null);
    }
    int[] epochDays = days.stream().mapToInt(d -> (int) d.toEpochDay()).toArray();
    boolean contiguous = epochDays[epochDays.length - 1] - epochDays[0] == epochDays.length - 1;
    return compute(events, entityTable, entity, days.first(), days.last(), contiguous ? null : epochDays);
  }

  private Dataset<Row> compute(Dataset<Row> events, Dataset<Row> entityTable, Entity entity, LocalDate start,
      LocalDate end, int[] onlyDays) {
    if (start == null || end == null || start.isAfter(end)) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "the as-of start must not be after the end, got start " + start + " and end " + end, null);
    }
    List<FeatureSpec> mine = specsOf(entity);
    if (mine.isEmpty()) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "no " + entity + " feature is declared", null);
    }
    int maxWindow = mine.stream().filter(s -> !s.aggregate().isDerived())
        .flatMap(s -> s.windows().stream()).mapToInt(Integer::intValue).max().orElse(0);
    if (maxWindow == 0) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "at least one feature needs a window, because the longest window defines which entities are active; "
              + "got only windowless features " + mine.stream().map(FeatureSpec::name).toList(), null);
    }
    StructType schema = events.schema();
    for (String required : List.of(entity.idColumn(), "event_ts")) {
      if (!Arrays.asList(schema.fieldNames()).contains(required)) {
        throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
            "the events have no column '" + required + "', got " + Arrays.toString(schema.fieldNames()), null);
      }
    }
    List<FeatureSpec> base = mine.stream()
        .filter(s -> !s.aggregate().isDerived() && s.aggregate() != Aggregate.ATTRIBUTE).toList();
    List<FeatureSpec> attributes = mine.stream().filter(s -> s.aggregate() == Aggregate.ATTRIBUTE).toList();
    Map<String, DataType> valueTypes = resolveTypes(events, base);
    checkAttributes(entityTable, entity, attributes);
    return new RollingPlan(entity, mine, base, valueTypes, maxWindow, (int) start.toEpochDay(), (int) end.toEpochDay(),
        onlyDays).build(events, entityTable);
  }

  /** ATTRIBUTE values are analysed against the entity table plus {@code as_of_date}. */
  private static void checkAttributes(Dataset<Row> entityTable, Entity entity, List<FeatureSpec> attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    String declared = attributes.stream().map(FeatureSpec::name).toList().toString();
    if (entityTable == null) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "ATTRIBUTE features " + declared + " need the " + entity + " table, got none", null);
    }
    List<String> columns = Arrays.asList(entityTable.columns());
    if (!columns.contains(entity.idColumn())) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "the " + entity + " table has no column '" + entity.idColumn() + "', got " + columns, null);
    }
    if (columns.contains(AS_OF_DATE)) {
      throw RehearsalException.invalidInput("Cannot compute " + entity + " features",
          "the " + entity + " table has a column '" + AS_OF_DATE + "', which ATTRIBUTE expressions reserve for the "
              + "as-of day", "rename or drop that column before computing features");
    }
    Dataset<Row> probe = entityTable.withColumn(AS_OF_DATE, lit(LocalDate.EPOCH));
    for (FeatureSpec spec : attributes) {
      DataType type;
      try {
        type = probe.select(expr(spec.value())).schema().fields()[0].dataType();
      } catch (Exception e) {
        throw FeatureSpec.invalid(spec.name(), "value is not a valid expression over the " + entity
            + " table columns and as_of_date, got '" + spec.value() + "' ("
            + RehearsalException.firstLine(e.getMessage(), "no detail") + ")");
      }
      requireSingleValue(spec, type);
    }
  }

  /** Analyses every filter and value against the events; a failure names the feature and field. */
  private static Map<String, DataType> resolveTypes(Dataset<Row> events, List<FeatureSpec> base) {
    Map<String, DataType> types = new HashMap<>();
    for (FeatureSpec spec : base) {
      DataType filterType = typeOf(events, spec, "filter", spec.effectiveFilter());
      if (!(filterType instanceof BooleanType) && !(filterType instanceof NullType)) {
        throw FeatureSpec.invalid(spec.name(), "filter must be a boolean expression, got '" + spec.filter()
            + "' of type " + filterType.simpleString());
      }
      if (spec.hasValue()) {
        DataType valueType = typeOf(events, spec, "value", spec.value());
        Aggregate aggregate = spec.aggregate();
        if ((aggregate == Aggregate.SUM || aggregate == Aggregate.AVG) && !(valueType instanceof NumericType)) {
          throw FeatureSpec.invalid(spec.name(), "value of aggregate " + aggregate + " must be numeric, got '"
              + spec.value() + "' of type " + valueType.simpleString());
        }
        requireSingleValue(spec, valueType);
        types.put(spec.name(), valueType);
      }
    }
    return types;
  }

  private static void requireSingleValue(FeatureSpec spec, DataType type) {
    if (type instanceof ArrayType || type instanceof MapType || type instanceof StructType) {
      throw FeatureSpec.invalid(spec.name(), "value must be a single value (number, string, date or "
          + "timestamp), got '" + spec.value() + "' of type " + type.simpleString());
    }
  }

  private static DataType typeOf(Dataset<Row> events, FeatureSpec spec, String field, String expression) {
    try {
      return events.select(expr(expression)).schema().fields()[0].dataType();
    } catch (Exception e) {
      throw FeatureSpec.invalid(spec.name(), field + " is not a valid expression over the event columns, got '"
          + expression + "' (" + RehearsalException.firstLine(e.getMessage(), "no detail") + ")");
    }
  }
}
