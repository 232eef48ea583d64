package io.rehearsal.transforms.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * Feature parity: profiles of feature columns (one Spark pass per table) and their comparison with a
 * baseline's profiles under declared tolerances. Checks are returned as data; nothing throws on a failed
 * check.
 */
public final class FeatureParity {

  private FeatureParity() {}

  /**
   * Profiles the given columns of {@code rows} in one aggregation. Numeric and boolean columns (booleans
   * as 0/1) get mean, p50 and p90; others only the missing rate.
   */
  public static Map<String, ColumnProfile> profile(Dataset<Row> rows, List<String> columns) {
    List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)).as("__rows")));
    List<Boolean> numeric = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i);
      DataType type = rows.schema().apply(name).dataType();
      boolean isNumeric = type instanceof NumericType || type instanceof BooleanType;
      numeric.add(isNumeric);
      aggregates.add(count(col(quoted(name))).as("__n" + i));
      if (isNumeric) {
        Column value = col(quoted(name)).cast(DataTypes.DoubleType);
        aggregates.add(avg(value).as("__mean" + i));
        // Exact percentiles (Spark's `percentile`), so profiles do not depend on partitioning.
        aggregates.add(expr("percentile(CAST(" + quoted(name) + " AS DOUBLE), array(0.5, 0.9))").as("__pct" + i));
      }
    }
    Row r = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    long total = r.getLong(r.fieldIndex("__rows"));
    Map<String, ColumnProfile> profiles = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      long present = r.getLong(r.fieldIndex("__n" + i));
      Double mean = null;
      Double p50 = null;
      Double p90 = null;
      if (numeric.get(i) && present > 0) {
        mean = r.getDouble(r.fieldIndex("__mean" + i));
        List<Object> pct = r.getList(r.fieldIndex("__pct" + i));
        p50 = (Double) pct.get(0);
        p90 = (Double) pct.get(1);
      }
      profiles.put(columns.get(i), new ColumnProfile(columns.get(i), total, total - present, mean, p50, p90));
    }
    return profiles;
  }

  /**
   * Compares every statistic of every column profiled on both sides. A statistic that is undefined on
   * both sides passes; defined on only one side fails.
   */
  public static List<ParityCheck> compare(Map<String, ColumnProfile> testbed, Map<String, ColumnProfile> baseline,
      Function<String, ParityTolerance> tolerance) {
    List<ParityCheck> checks = new ArrayList<>();
    for (Map.Entry<String, ColumnProfile> entry : testbed.entrySet()) {
      ColumnProfile base = baseline.get(entry.getKey());
      if (base == null) {
        continue;
      }
      ParityTolerance bounds = tolerance.apply(entry.getKey());
      for (Statistic statistic : Statistic.values()) {
        checks.add(check(entry.getKey(), statistic, entry.getValue().value(statistic), base.value(statistic),
            bounds.of(statistic)));
      }
    }
    return checks;
  }

  static ParityCheck check(String column, Statistic statistic, Double testbed, Double baseline, Bound bound) {
    String what = column + " " + statistic.label();
    if (testbed == null && baseline == null) {
      return new ParityCheck(column, statistic, null, null, bound, ParityCheck.Status.PASS,
          what + ": undefined on both sides (no values)");
    }
    if (testbed == null || baseline == null) {
      return new ParityCheck(column, statistic, testbed, baseline, bound, ParityCheck.Status.FAIL,
          what + ": testbed " + format(testbed) + ", baseline " + format(baseline)
              + " (defined on one side only: one of them has no values)");
    }
    boolean ok = bound.accepts(testbed, baseline);
    String text = what + ": testbed " + format(testbed) + ", baseline " + format(baseline) + ", difference "
        + format(testbed - baseline) + (ok ? " within " : " exceeds ") + "tolerance " + bound + " (allowed "
        + format(bound.allowed(baseline)) + ")";
    return new ParityCheck(column, statistic, testbed, baseline, bound,
        ok ? ParityCheck.Status.PASS : ParityCheck.Status.FAIL, text);
  }

  static String format(Double value) {
    if (value == null) {
      return "none";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf(value.longValue());
    }
    return String.format(java.util.Locale.ROOT, "%.6g", value);
  }

  private static String quoted(String name) {
    return "`" + name + "`";
  }
}
