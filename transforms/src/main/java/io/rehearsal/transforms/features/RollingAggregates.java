package io.rehearsal.transforms.features;

import static io.rehearsal.transforms.features.RollingPlan.DAY;
import static io.rehearsal.transforms.features.RollingPlan.EVENT_DAY;
import static io.rehearsal.transforms.features.RollingPlan.TS;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegralType;

/**
 * What each aggregate of {@link RollingPlan} computes at its three stages: the daily partial per (entity, event day,
 * visible day), the internal names of those partials (and of their late copies), and the window over the sorted frame
 * that turns them into the feature's value on an as-of day. One class per rule set, so that adding an aggregate
 * touches one place.
 */
final class RollingAggregates {

  private final Map<String, DataType> valueTypes;
  private final WindowSpec byDay;

  RollingAggregates(Map<String, DataType> valueTypes, WindowSpec byDay) {
    this.valueTypes = valueTypes;
    this.byDay = byDay;
  }

  /** Windowless DAYS_SINCE_LAST and LAST read the whole visible history, not a trailing window. */
  static boolean readsWholeHistory(FeatureSpec spec) {
    return spec.aggregate() == Aggregate.DAYS_SINCE_LAST
        || (spec.aggregate() == Aggregate.LAST && spec.windows().isEmpty());
  }

  /** Share of the most frequent value in the window's list of values; null when it is empty. */
  static Column topShare(String listColumn) {
    String list = "`" + listColumn + "`";
    Column top = expr("aggregate(array_distinct(" + list + "), 0, (acc, x) -> greatest(acc, size(filter(" + list
        + ", y -> y <=> x))))");
    Column n = size(col(listColumn));
    return when(n.gt(0), top.cast(DataTypes.DoubleType).divide(n.cast(DataTypes.DoubleType)));
  }

  /** Per-feature columns of the daily partials. */
  static List<Column> partialAggregates(FeatureSpec spec, int i) {
    Column match = col(m(i));
    switch (spec.aggregate()) {
      case COUNT:
        return List.of(sum(when(match, 1L)).as(c(i)));
      case SUM:
      case AVG:
        return List.of(sum(when(match, col(v(i)))).as(s(i)), sum(when(match, 1L)).as(c(i)));
      case MIN:
        return List.of(min(when(match, col(v(i)))).as(mn(i)));
      case MAX:
        return List.of(max(when(match, col(v(i)))).as(mx(i)));
      case COUNT_DISTINCT:
        return List.of(collect_set(when(match, col(v(i)))).as(set(i)));
      case DAYS_SINCE_LAST:
        return List.of(max(when(match, col(EVENT_DAY))).as(last(i)));
      case LAST:
        return List.of(max(when(match, struct(col(TS).as("t"), col(v(i)).as("v")))).as(lst(i)));
      case TOP_SHARE:
        return List.of(collect_list(when(match, col(v(i)))).as(list(i)));
      default:
        throw new IllegalStateException("no partial for " + spec.aggregate());
    }
  }

  static List<String> partialNames(FeatureSpec spec, int i) {
    switch (spec.aggregate()) {
      case COUNT:
        return List.of(c(i));
      case SUM:
      case AVG:
        return List.of(s(i), c(i));
      case MIN:
        return List.of(mn(i));
      case MAX:
        return List.of(mx(i));
      case COUNT_DISTINCT:
        return List.of(set(i));
      case DAYS_SINCE_LAST:
        return List.of(last(i));
      case LAST:
        return List.of(lst(i));
      case TOP_SHARE:
        return List.of(list(i));
      default:
        throw new IllegalStateException("no partial for " + spec.aggregate());
    }
  }

  Column windowed(FeatureSpec spec, int i, int window) {
    DataType valueType = valueTypes.get(spec.name());
    boolean exact = valueType == null || valueType instanceof IntegralType || valueType instanceof DecimalType;
    WindowSpec sliding = byDay.rangeBetween(-(window - 1), 0);
    WindowSpec sameDay = byDay.rangeBetween(0, 0);
    switch (spec.aggregate()) {
      case COUNT:
        return windowSum(c(i), window, true).plus(lateSum(c(i), window)).cast(DataTypes.LongType);
      case SUM:
        return windowSum(s(i), window, exact).plus(lateSum(s(i), window)).cast(sumType(valueType));
      case AVG: {
        Column total = windowSum(s(i), window, exact).plus(lateSum(s(i), window));
        Column n = windowSum(c(i), window, true).plus(lateSum(c(i), window));
        return when(n.gt(0), total.cast(DataTypes.DoubleType).divide(n.cast(DataTypes.DoubleType)));
      }
      case MIN:
        return least(min(mn(i)).over(sliding), min(late(mn(i), window)).over(sameDay));
      case MAX:
        return greatest(max(mx(i)).over(sliding), max(late(mx(i), window)).over(sameDay));
      case COUNT_DISTINCT:
        return size(array_distinct(concat(flatten(collect_list(set(i)).over(sliding)),
            flatten(collect_list(late(set(i), window)).over(sameDay))))).cast(DataTypes.LongType);
      case LAST:
        return greatest(max(lst(i)).over(sliding), max(late(lst(i), window)).over(sameDay)).getField("v");
      case TOP_SHARE: // the window's values; topShare() turns them into the share in the last step
        return concat(flatten(collect_list(list(i)).over(sliding)),
            flatten(collect_list(late(list(i), window)).over(sameDay)));
      case DAYS_SINCE_LAST:
        return daysSinceLast(i, window);
      default:
        throw new IllegalStateException("no window for " + spec.aggregate());
    }
  }

  /** A windowless feature over the whole visible history (LAST: as visible lag days earlier). */
  Column windowless(FeatureSpec spec, int i) {
    if (spec.aggregate() == Aggregate.DAYS_SINCE_LAST) {
      return daysSinceLast(i, null);
    }
    int lag = spec.lagDays() == null ? 0 : spec.lagDays();
    return max(lst(i)).over(byDay.rangeBetween(Window.unboundedPreceding(), -lag)).getField("v");
  }

  /**
   * Sum of an on-time partial over the window: for exact types the difference of the running sums up
   * to D and up to D − N (both exact); otherwise summed over the sliding frame itself.
   */
  private Column windowSum(String name, int window, boolean exact) {
    if (exact) {
      Column upToDay = coalesce(sum(name).over(byDay.rangeBetween(Window.unboundedPreceding(), 0)), lit(0));
      Column beforeWindow = coalesce(sum(name).over(byDay.rangeBetween(Window.unboundedPreceding(), -window)),
          lit(0));
      return upToDay.minus(beforeWindow);
    }
    return coalesce(sum(name).over(byDay.rangeBetween(-(window - 1), 0)), lit(0));
  }

  private Column lateSum(String name, int window) {
    return coalesce(sum(late(name, window)).over(byDay.rangeBetween(0, 0)), lit(0));
  }

  /** D minus the last matching visible event day; null beyond the window or without any. */
  private Column daysSinceLast(int i, Integer window) {
    Column lastDay = max(last(i)).over(byDay.rangeBetween(Window.unboundedPreceding(), 0));
    Column days = col(DAY).minus(lastDay).cast(DataTypes.IntegerType);
    return window == null ? days : when(days.leq(window), days);
  }

  private static DataType sumType(DataType valueType) {
    if (valueType instanceof DecimalType decimal) {
      return DataTypes.createDecimalType(Math.min(38, decimal.precision() + 10), decimal.scale());
    }
    if (valueType instanceof IntegralType) {
      return DataTypes.LongType;
    }
    return DataTypes.DoubleType;
  }

  static String m(int i) {
    return "__m" + i;
  }

  static String v(int i) {
    return "__v" + i;
  }

  private static String c(int i) {
    return "__c" + i;
  }

  private static String s(int i) {
    return "__s" + i;
  }

  private static String mn(int i) {
    return "__mn" + i;
  }

  private static String mx(int i) {
    return "__mx" + i;
  }

  private static String set(int i) {
    return "__set" + i;
  }

  private static String last(int i) {
    return "__last" + i;
  }

  private static String lst(int i) {
    return "__lst" + i;
  }

  private static String list(int i) {
    return "__list" + i;
  }

  static String late(String name, int window) {
    return name + "_late" + window;
  }
}
