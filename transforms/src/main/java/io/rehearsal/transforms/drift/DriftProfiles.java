package io.rehearsal.transforms.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The Spark side of a drift suite: every segment × window × feature in a fixed, small number of passes,
 * grouped by (segment, window) — never one job per feature or per segment.
 *
 * <ol>
 *   <li>{@link #sketches}: per numeric feature its row count, missing count, standard deviation and a
 *       {@value #QUANTILES}-point quantile sketch ({@code percentile_approx}); the reference's deciles
 *       become the bin edges.</li>
 *   <li>{@link #binCounts}: exact counts over the stored bin edges (up to {@value #MAX_BINS} bins).</li>
 *   <li>{@link #categoryCounts}: counts per category of every categorical feature, in one shuffle.</li>
 * </ol>
 * The input holds one row per entity × day with a segment column, a window column and the feature columns.
 */
public final class DriftProfiles {

  /** Points of each quantile sketch: the 0th, 1st, …, 100th percentile. */
  public static final int QUANTILES = 101;
  /** Bins of a numeric feature: at most 11 edges (below the minimum, 9 deciles, the maximum), so 12 bins. */
  public static final int MAX_BINS = 12;
  /** {@code percentile_approx} accuracy: rank error at most 1/accuracy of the rows. */
  public static final int ACCURACY = 10_000;

  private DriftProfiles() {}

  /** Rows of a (segment, window) in the sketch pass. */
  public static final String ROWS = "__rows";

  /** Column names of the sketch pass for a feature. */
  public static String missingOf(String feature) {
    return feature + "__missing";
  }

  public static String sdOf(String feature) {
    return feature + "__sd";
  }

  public static String meanOf(String feature) {
    return feature + "__mean";
  }

  public static String quantilesOf(String feature) {
    return feature + "__q";
  }

  /**
   * One row per (segment, window): its row count, and per numeric feature the missing count, standard
   * deviation, mean and quantile sketch. (With no numeric features it still counts the rows.)
   */
  public static Dataset<Row> sketches(Dataset<Row> rows, String segment, String window, List<String> numeric) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as(ROWS));
    for (String f : numeric) {
      Column value = finiteValue(f);
      aggregates.add(sum(when(value.isNull(), 1).otherwise(0)).cast("long").as(missingOf(f)));
      aggregates.add(stddev_samp(value).as(sdOf(f)));
      aggregates.add(functions.avg(value).as(meanOf(f)));
      aggregates.add(quantileSketch(f).as(quantilesOf(f)));
    }
    return rows.groupBy(segment, window).agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
  }

  /** The {@value #QUANTILES}-point quantile sketch of a feature, non-finite values counted as missing (an aggregate). */
  public static Column quantileSketch(String feature) {
    String grid = IntStream.range(0, QUANTILES).mapToObj(i -> String.format(Locale.ROOT, "%.2f", i / 100.0))
        .collect(Collectors.joining(", ", "array(", ")"));
    return functions.percentile_approx(finiteValue(feature), expr(grid), lit(ACCURACY));
  }

  /** A feature as a double, null where it is missing or not finite (see {@link #nonFinite}). */
  private static Column finiteValue(String feature) {
    Column raw = col(feature).cast("double");
    return when(nonFinite(raw), lit(null).cast("double")).otherwise(raw);
  }

  /**
   * NaN and ±Infinity: a value no distribution statistic can use (an infinite value makes the standard
   * deviation and Wasserstein distance NaN), so it counts as missing and a rise shows in the missing rate.
   */
  static Column nonFinite(Column value) {
    return functions.isnan(value).or(functions.abs(value).equalTo(lit(Double.POSITIVE_INFINITY)));
  }

  /**
   * Exact counts per bin: {@code edges} holds per segment one array of edges per feature of {@code numeric}
   * (sorted, at most {@value #MAX_BINS} − 1 values are used); bin b of a value is the number of edges below it.
   * Missing and non-finite values fall in no bin; rows of a segment without edges are not counted. Keyed
   * {@code segment|window}: counts[feature][bin].
   *
   * <p>Counted in plain Java per partition, then summed on the driver: as Spark columns (a comparison per edge, a
   * sum per bin, the edges joined onto every row) the same counts took about 20 times longer, because 12 sums
   * per feature exceed what whole-stage code generation takes. Counts are exact, so the order does not matter.
   */
  public static Map<String, long[][]> binCounts(Dataset<Row> rows, Map<String, double[][]> edges, String segment,
      String window, List<String> numeric) {
    List<Column> projected = new ArrayList<>(List.of(col(segment).cast("string"), col(window).cast("string")));
    numeric.forEach(f -> projected.add(col(f).cast("double")));
    int features = numeric.size();
    HashMap<String, double[][]> edgesBySegment = new HashMap<>(edges);
    FlatMapFunction<Iterator<Row>, Map<String, long[][]>> perPartition =
        it -> countPartition(it, edgesBySegment, features);
    Map<String, long[][]> total = new HashMap<>();
    for (Map<String, long[][]> part : rows.select(projected.toArray(new Column[0])).toJavaRDD()
        .mapPartitions(perPartition).collect()) {
      part.forEach((key, c) -> {
        long[][] into = total.computeIfAbsent(key, k -> new long[features][MAX_BINS]);
        for (int i = 0; i < features; i++) {
          for (int b = 0; b < MAX_BINS; b++) {
            into[i][b] += c[i][b];
          }
        }
      });
    }
    return total;
  }

  /** One partition's bin counts of rows (segment, window, feature values as doubles), as {@link #binCounts}. */
  private static Iterator<Map<String, long[][]>> countPartition(Iterator<Row> rows, Map<String, double[][]> edges,
      int features) {
    Map<String, long[][]> counts = new HashMap<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      double[][] e = r.isNullAt(0) ? null : edges.get(r.getString(0));
      if (e == null) {
        continue;
      }
      long[][] c = counts.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new long[features][MAX_BINS]);
      for (int i = 0; i < features; i++) {
        if (r.isNullAt(i + 2) || e[i] == null) {
          continue;
        }
        double v = r.getDouble(i + 2);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          continue;
        }
        int bin = 0;
        for (int j = 0; j < Math.min(e[i].length, MAX_BINS - 1); j++) {
          if (v > e[i][j]) {
            bin++;
          }
        }
        c[i][bin]++;
      }
    }
    return List.of(counts).iterator();
  }

  /**
   * Counts per (segment, window, feature, category) of every categorical feature, missing values
   * excluded (their rate is reported apart), in one pass: the features are stacked into rows first.
   */
  public static Dataset<Row> categoryCounts(Dataset<Row> rows, String segment, String window, List<String> categorical) {
    String stack = categorical.stream().map(f -> "'" + f.replace("'", "\\'") + "', CAST(`" + f + "` AS STRING)")
        .collect(Collectors.joining(", ", "stack(" + categorical.size() + ", ", ") AS (feature, category)"));
    return rows.select(col(segment), col(window), expr(stack))
        .where(col("category").isNotNull())
        .groupBy(segment, window, "feature", "category").count();
  }
}
