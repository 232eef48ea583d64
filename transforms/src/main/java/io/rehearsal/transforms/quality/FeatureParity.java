package io.rehearsal.transforms.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.rehearsal.transforms.checks.CheckStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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
   * as 0/1) get mean, standard deviation, p50 and p90 and the confidence limits of the percentiles at
   * {@code z} (see {@link ColumnProfile}); others only the missing rate. {@code entityColumn} counts the
   * distinct entities, the effective sample size.
   */
  public static Map<String, ColumnProfile> profile(Dataset<Row> rows, String entityColumn, List<String> columns,
      double z) {
    if (columns.isEmpty()) {
      return new LinkedHashMap<>();
    }
    long entities = rows.select(entityColumn).distinct().count();
    double[] quantiles = {0.5, 0.9, limit(0.5, -z, entities), limit(0.5, z, entities), limit(0.9, -z, entities),
        limit(0.9, z, entities)};
    String array = Arrays.stream(quantiles).mapToObj(q -> String.format(Locale.ROOT, "%.12f", q))
        .collect(Collectors.joining(", "));
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
        aggregates.add(org.apache.spark.sql.functions.stddev_samp(value).as("__sd" + i));
        // Exact percentiles (Spark's `percentile`), so profiles do not depend on partitioning.
        aggregates.add(expr("percentile(CAST(" + quoted(name) + " AS DOUBLE), array(" + array + "))").as("__pct" + i));
      }
    }
    Row r = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    long total = r.getLong(r.fieldIndex("__rows"));
    Map<String, ColumnProfile> profiles = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      long present = r.getLong(r.fieldIndex("__n" + i));
      Double mean = null;
      Double sd = null;
      Double[] pct = new Double[6];
      if (numeric.get(i) && present > 0) {
        mean = r.getDouble(r.fieldIndex("__mean" + i));
        Object deviation = r.get(r.fieldIndex("__sd" + i));
        sd = deviation == null ? 0.0 : (Double) deviation;
        List<Object> values = r.getList(r.fieldIndex("__pct" + i));
        for (int k = 0; k < pct.length; k++) {
          pct[k] = (Double) values.get(k);
        }
      }
      profiles.put(columns.get(i), new ColumnProfile(columns.get(i), total, total - present, entities, mean, sd,
          pct[0], pct[1], pct[2], pct[3], pct[4], pct[5]));
    }
    return profiles;
  }

  /** The quantile q moved by z binomial standard errors of a sample of n, clamped to [0, 1]. */
  static double limit(double q, double z, long n) {
    if (n == 0) {
      return q;
    }
    return Math.min(1.0, Math.max(0.0, q + z * Math.sqrt(q * (1 - q) / n)));
  }

  /**
   * Compares every statistic of every column profiled on both sides. The allowed difference is the
   * larger of the declared tolerance and the testbed's sampling noise at the z its profile was computed
   * with ({@link ColumnProfile#noise}; z = 0 turns noise off). A statistic that is undefined on both
   * sides passes; defined on only one side fails.
   */
  public static List<ParityCheck> compare(Map<String, ColumnProfile> testbed, Map<String, ColumnProfile> baseline,
      Function<String, ParityTolerance> tolerance, double z) {
    List<ParityCheck> checks = new ArrayList<>();
    for (Map.Entry<String, ColumnProfile> entry : testbed.entrySet()) {
      ColumnProfile base = baseline.get(entry.getKey());
      if (base == null) {
        continue;
      }
      ParityTolerance bounds = tolerance.apply(entry.getKey());
      for (Statistic statistic : Statistic.values()) {
        Double baselineValue = base.value(statistic);
        checks.add(check(entry.getKey(), statistic, entry.getValue().value(statistic), baselineValue,
            bounds.of(statistic), entry.getValue().noise(statistic, z, baselineValue)));
      }
    }
    return checks;
  }

  static ParityCheck check(String column, Statistic statistic, Double testbed, Double baseline, Bound bound,
      double noise) {
    String what = column + " " + statistic.label();
    if (testbed == null && baseline == null) {
      return new ParityCheck(column, statistic, null, null, bound, 0, CheckStatus.PASS,
          what + ": undefined on both sides (no values)");
    }
    if (testbed == null || baseline == null) {
      return new ParityCheck(column, statistic, testbed, baseline, bound, 0, CheckStatus.FAIL,
          what + ": testbed " + format(testbed) + ", baseline " + format(baseline)
              + " (defined on one side only: one of them has no values)");
    }
    double allowed = Math.max(bound.allowed(baseline), noise);
    boolean ok = bound.accepts(testbed, baseline) || Math.abs(testbed - baseline) <= noise;
    String text = what + ": testbed " + format(testbed) + ", baseline " + format(baseline) + ", difference "
        + difference(testbed, baseline) + (ok ? " within " : " exceeds ") + "tolerance " + bound + " (allowed "
        + format(allowed) + (noise > bound.allowed(baseline) ? ", the testbed's sampling noise" : "") + ")";
    return new ParityCheck(column, statistic, testbed, baseline, bound, allowed,
        CheckStatus.of(ok), text);
  }

  /**
   * The difference as the message shows it. Two sums of the same values differ in their last bits when Spark splits
   * them differently over tasks (local mode, a cluster, another step boundary); a difference below 1e-9 of the
   * values' size is that noise and shows as 0, so the message, like the content hash of the numbers beside it
   * (8 significant digits), is the same wherever the run ran.
   */
  static String difference(double testbed, double baseline) {
    double d = testbed - baseline;
    return Math.abs(d) <= 1e-9 * Math.max(Math.abs(testbed), Math.abs(baseline)) ? "0" : format(d);
  }

  static String format(Double value) {
    if (value == null) {
      return "none";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf(value.longValue());
    }
    return String.format(Locale.ROOT, "%.6g", value);
  }

  private static String quoted(String name) {
    return "`" + name + "`";
  }
}
