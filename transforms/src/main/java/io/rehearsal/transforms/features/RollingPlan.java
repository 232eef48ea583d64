package io.rehearsal.transforms.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One computation of {@link RollingFeatures} for one entity and range of as-of days: prepared events, daily
 * partials, the day grid, the frame input and the one sorted window pass (the class comment of
 * {@link RollingFeatures} gives the rule). What each aggregate computes at each stage is in
 * {@link RollingAggregates}.
 */
final class RollingPlan {

  private static final long MICROS_PER_DAY = 86_400_000_000L;

  // Internal columns: feature names cannot start with '_', so these never collide with outputs.
  private static final String KEY = "__key";
  static final String EVENT_DAY = "__event_day";
  private static final String VISIBLE_DAY = "__visible_day";
  static final String DAY = "__day";
  private static final String GRID = "__grid";
  private static final String LO = "__lo";
  private static final String HI = "__hi";
  private static final String POS = "__pos";
  static final String TS = "__ts";

  private final Entity entity;
  private final List<FeatureSpec> mine;
  private final List<FeatureSpec> base;
  private final int maxWindow;
  private final int start;
  private final int end;
  /** The as-of days wanted within [start, end]; null for every day. */
  private final int[] onlyDays;
  private final Map<String, Integer> index = new HashMap<>();
  private final RollingAggregates aggregates;

  RollingPlan(Entity entity, List<FeatureSpec> mine, List<FeatureSpec> base, Map<String, DataType> valueTypes,
      int maxWindow, int start, int end, int[] onlyDays) {
    this.entity = entity;
    this.onlyDays = onlyDays;
    this.mine = mine;
    this.base = base;
    this.maxWindow = maxWindow;
    this.start = start;
    this.end = end;
    for (int i = 0; i < base.size(); i++) {
      index.put(base.get(i).name(), i);
    }
    this.aggregates = new RollingAggregates(valueTypes, Window.partitionBy(KEY).orderBy(DAY));
  }

  Dataset<Row> build(Dataset<Row> events, Dataset<Row> entityTable) {
    boolean ingested = Arrays.asList(events.schema().fieldNames()).contains("ingested_at");
    Column eventDay = dayOf("event_ts");
    Column visibleDay = (ingested ? greatest(eventDay, dayOf("ingested_at")) : eventDay).plus(1);

    // 1. Prepared events: key, days, and per feature whether it matches and its value.
    List<Column> prepared = new ArrayList<>(List.of(
        col(entity.idColumn()).as(KEY), eventDay.as(EVENT_DAY), visibleDay.as(VISIBLE_DAY), col("event_ts").as(TS)));
    for (int i = 0; i < base.size(); i++) {
      FeatureSpec spec = base.get(i);
      Column match = coalesce(expr(spec.effectiveFilter()).cast(DataTypes.BooleanType), lit(false));
      if (spec.hasValue()) {
        Column value = expr(spec.value());
        prepared.add(match.and(value.isNotNull()).as(RollingAggregates.m(i)));
        prepared.add(value.as(RollingAggregates.v(i)));
      } else {
        prepared.add(match.as(RollingAggregates.m(i)));
      }
    }
    Dataset<Row> rows = events
        .where(col(entity.idColumn()).isNotNull().and(col("event_ts").isNotNull()))
        .select(prepared.toArray(Column[]::new));

    // 2. Daily partials per (entity, event day, visible day); every window below is derived from them.
    List<Column> partialAggs = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      partialAggs.addAll(RollingAggregates.partialAggregates(base.get(i), i));
    }
    boolean needsHistory = base.stream().anyMatch(RollingAggregates::readsWholeHistory);
    Column relevant = col(VISIBLE_DAY).leq(end);
    if (!needsHistory) {
      relevant = relevant.and(col(EVENT_DAY).geq(start - maxWindow));
    }
    Dataset<Row> partials = rows.groupBy(KEY, EVENT_DAY, VISIBLE_DAY)
        .agg(partialAggs.get(0), partialAggs.subList(1, partialAggs.size()).toArray(Column[]::new))
        .where(relevant);
    if (needsHistory) {
      partials = collapseHistory(partials);
    }

    // 3. The day grid: merged activity intervals [V, E + maxWindow] ∩ [start, end], expanded to days.
    Dataset<Row> grid = grid(partials);

    // 4. Frame input, from one pass over the partials: every partial at its visible day V (position 0;
    //    windowed values only when on time), and every late partial also on each as-of day it covers
    //    (positions 1…), carrying per-window masked values. Then the grid rows at their day D.
    Column lateLo = greatest(col(VISIBLE_DAY), lit(start));
    Column lateHi = least(col(EVENT_DAY).plus(maxWindow), lit(end));
    Column isLate = col(VISIBLE_DAY).gt(col(EVENT_DAY).plus(1));
    Column days = when(isLate.and(lateLo.leq(lateHi)), concat(array(col(VISIBLE_DAY)), sequence(lateLo, lateHi)))
        .otherwise(array(col(VISIBLE_DAY)));
    Dataset<Row> exploded = partials.select(col("*"), posexplode(days).as(new String[] {POS, DAY}));
    if (onlyDays != null) {
      // A late partial's copies serve only their own as-of day; position 0 feeds the sliding frames.
      exploded = exploded.where(col(POS).equalTo(0).or(wanted(col(DAY))));
    }
    Dataset<Row> placed = exploded.select(frameColumns().toArray(Column[]::new));
    Dataset<Row> frames = grid.unionByName(placed, true);

    // 5. All windows in one sorted pass per entity; keep the grid rows. Feature columns get internal
    //    names here so that entity-table columns joined for ATTRIBUTE features cannot collide with them.
    List<Column> features = new ArrayList<>();
    features.add(col(KEY).as(entity.idColumn()));
    features.add(date_add(lit(LocalDate.EPOCH), col(DAY)).as(RollingFeatures.AS_OF_DATE));
    Map<String, String> internal = new LinkedHashMap<>();
    for (int i = 0; i < base.size(); i++) {
      FeatureSpec spec = base.get(i);
      if (spec.windows().isEmpty()) {
        features.add(aggregates.windowless(spec, i).as(out(internal, spec.name())));
      }
      for (Integer window : spec.windows()) {
        features.add(aggregates.windowed(spec, i, window).as(out(internal, spec.columnName(window))));
      }
    }
    Dataset<Row> computed = frames.select(withGrid(features)).where(col(GRID)).drop(GRID);

    // 6. Attributes from the entity table (one row per id), evaluated with the row's as_of_date.
    List<FeatureSpec> attributes = mine.stream().filter(s -> s.aggregate() == Aggregate.ATTRIBUTE).toList();
    if (!attributes.isEmpty()) {
      List<Column> withAttributes = new ArrayList<>(List.of(col("*")));
      for (FeatureSpec spec : attributes) {
        withAttributes.add(expr(spec.value()).as(out(internal, spec.name())));
      }
      computed = computed.join(entityTable, Columns.using(entity.idColumn()), "left")
          .select(withAttributes.toArray(Column[]::new));
    }

    // 7. Derived features from the computed operands, then the declared names and order.
    List<Column> output = new ArrayList<>(List.of(col(entity.idColumn()), col(RollingFeatures.AS_OF_DATE)));
    for (FeatureSpec spec : mine) {
      List<String> columns = spec.outputColumns();
      for (int w = 0; w < columns.size(); w++) {
        String column = columns.get(w);
        Integer window = spec.windows().isEmpty() ? null : spec.windows().get(w);
        if (spec.aggregate().isDerived()) {
          Column numerator = col(internal.get(operandColumn(spec.numerator(), window))).cast(DataTypes.DoubleType);
          Column denominator = col(internal.get(operandColumn(spec.denominator(), window))).cast(DataTypes.DoubleType);
          Column value = spec.aggregate() == Aggregate.RATIO ? numerator.divide(denominator)
              : numerator.minus(denominator).divide(denominator);
          output.add(when(denominator.isNull().or(denominator.equalTo(0)), lit(null).cast(DataTypes.DoubleType))
              .otherwise(value).as(column));
        } else if (spec.aggregate() == Aggregate.TOP_SHARE) {
          output.add(RollingAggregates.topShare(internal.get(column)).as(column));
        } else {
          output.add(col(internal.get(column)).as(column));
        }
      }
    }
    return computed.select(output.toArray(Column[]::new));
  }

  /**
   * Partials visible on or before day {@code cutoff} = start − max(longest window, longest lag) fall in no
   * window of an as-of day in [start, end] and add no grid day; they only feed the whole-history maxima
   * (DAYS_SINCE_LAST, windowless LAST). So they become one row per entity at the cutoff holding those maxima
   * (a max of maxima is the same max): the frame pass then sorts and slides over the trailing range only,
   * not over the entity's whole history. Running sums of exact types lose the same amount on both sides of
   * their difference, so every output value stays the same bit for bit.
   */
  private Dataset<Row> collapseHistory(Dataset<Row> partials) {
    int maxLag = base.stream().filter(s -> s.lagDays() != null).mapToInt(FeatureSpec::lagDays).max().orElse(0);
    int cutoff = start - Math.max(maxWindow, maxLag);
    List<Column> maxima = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      if (RollingAggregates.readsWholeHistory(base.get(i))) {
        for (String name : RollingAggregates.partialNames(base.get(i), i)) {
          maxima.add(max(name).as(name));
        }
      }
    }
    Dataset<Row> history = partials.where(col(VISIBLE_DAY).leq(cutoff)).groupBy(KEY)
        .agg(maxima.get(0), maxima.subList(1, maxima.size()).toArray(Column[]::new))
        .withColumn(EVENT_DAY, lit(cutoff - 1))
        .withColumn(VISIBLE_DAY, lit(cutoff));
    return partials.where(col(VISIBLE_DAY).gt(cutoff)).unionByName(history, true);
  }

  private static String out(Map<String, String> internal, String column) {
    String name = "__o" + internal.size();
    internal.put(column, name);
    return name;
  }

  private String operandColumn(String operand, Integer window) {
    FeatureSpec spec = mine.stream().filter(s -> s.name().equals(operand)).findFirst().orElseThrow();
    return window == null ? spec.name() : spec.columnName(window);
  }

  private FeatureSpec byName(String name) {
    return base.get(index.get(name));
  }

  private Column[] withGrid(List<Column> features) {
    List<Column> all = new ArrayList<>(features);
    all.add(col(GRID));
    return all.toArray(Column[]::new);
  }

  private Dataset<Row> grid(Dataset<Row> partials) {
    WindowSpec byLo = Window.partitionBy(KEY).orderBy(LO, HI);
    return partials
        .select(col(KEY), greatest(col(VISIBLE_DAY), lit(start)).as(LO),
            least(col(EVENT_DAY).plus(maxWindow), lit(end)).as(HI))
        .where(col(LO).leq(col(HI)))
        .withColumn("__prev_hi", max(HI).over(byLo.rowsBetween(Window.unboundedPreceding(), -1)))
        .withColumn("__new", when(col("__prev_hi").isNull().or(col(LO).gt(col("__prev_hi").plus(1))), 1)
            .otherwise(0))
        .withColumn("__island", sum("__new").over(byLo.rowsBetween(Window.unboundedPreceding(),
            Window.currentRow())))
        .groupBy(KEY, "__island")
        .agg(min(LO).as(LO), max(HI).as(HI))
        .select(col(KEY), explode(sequence(col(LO), col(HI))).as(DAY), lit(true).as(GRID))
        .where(onlyDays == null ? lit(true) : wanted(col(DAY)));
  }

  private Column wanted(Column day) {
    return day.isin(Arrays.stream(onlyDays).boxed().toArray());
  }

  /**
   * A partial row of the frame input. At its visible day (position 0) it carries the on-time values
   * (V = E + 1) and, for DAYS_SINCE_LAST, its last matching day whether late or not. On a later
   * position it is a late partial on one as-of day D it covers, with its values masked per window
   * (E >= D − N).
   */
  private List<Column> frameColumns() {
    Column atVisibleDay = col(POS).equalTo(0);
    Column onTime = atVisibleDay.and(col(VISIBLE_DAY).equalTo(col(EVENT_DAY).plus(1)));
    Column lateDay = col(POS).gt(0);
    List<Column> columns = new ArrayList<>(List.of(col(KEY), col(DAY), lit(false).as(GRID)));
    for (int i = 0; i < base.size(); i++) {
      FeatureSpec spec = base.get(i);
      boolean history = RollingAggregates.readsWholeHistory(spec);
      for (String name : RollingAggregates.partialNames(spec, i)) {
        columns.add(when(history ? atVisibleDay : onTime, col(name)).as(name));
      }
      if (spec.aggregate() == Aggregate.DAYS_SINCE_LAST || history) {
        continue;
      }
      for (Integer window : spec.windows()) {
        Column inWindow = lateDay.and(col(EVENT_DAY).geq(col(DAY).minus(window)));
        for (String name : RollingAggregates.partialNames(spec, i)) {
          columns.add(when(inWindow, col(name)).as(RollingAggregates.late(name, window)));
        }
      }
    }
    return columns;
  }

  private static Column dayOf(String timestamp) {
    String micros = "unix_micros(" + timestamp + ")";
    return expr("CAST((" + micros + " - pmod(" + micros + ", " + MICROS_PER_DAY + ")) div " + MICROS_PER_DAY
        + " AS INT)");
  }

}
