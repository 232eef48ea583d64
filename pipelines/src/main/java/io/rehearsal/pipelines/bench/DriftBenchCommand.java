package io.rehearsal.pipelines.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.cli.SparkOptions;
import io.rehearsal.transforms.drift.DriftProfiles;
import io.rehearsal.transforms.drift.DriftSuite;
import io.rehearsal.transforms.drift.DriftThresholds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The drift benchmark behind bench/run ({@link BenchCli}): on one Parquet table of N rows × F
 * numeric features × S segments × 2 windows (generated once from hashes, so every run reads the same
 * bytes), times, in one Spark application, a single pass computing only approximate quantiles of the same
 * columns per (segment, window), then the whole drift suite (its three passes and every comparison), and
 * prints both and their ratio.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
    description = "Benchmark: the drift suite vs one approximate-quantile pass over the same columns.")
public final class DriftBenchCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the benchmark table is kept.")
  String dir;

  @Option(names = "--rows", defaultValue = "10000000", description = "Rows (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--features", defaultValue = "30", description = "Numeric features (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--segments", defaultValue = "5", description = "Segments (default: ${DEFAULT-VALUE}).")
  int segments;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = sparkOptions.session("rehearsal-bench-drift");
    Path table = Path.of(dir, String.format(Locale.ROOT, "drift-%d-rows-%d-features-%d-segments", rows, features,
        segments));
    List<String> names = IntStream.range(0, features).mapToObj(i -> String.format(Locale.ROOT, "f%02d", i)).toList();
    if (!Files.exists(table.resolve("_SUCCESS"))) {
      System.out.printf(Locale.ROOT, "bench: writing the benchmark table %s (once; reused by later runs)%n", table);
      List<Column> columns = new ArrayList<>();
      columns.add(concat(lit("s"), expr("id % " + segments)).as("segment"));
      columns.add(when(expr("(id DIV " + segments + ") % 2 = 0"), lit(DriftSuite.REFERENCE))
          .otherwise(lit(DriftSuite.CURRENT)).as("window"));
      for (int i = 0; i < features; i++) {
        // A feature per shape: uniform, exponential-like, counts with many zeros; the current window of every
        // third feature is shifted so the suite has something to find.
        Column u = xxhash64(col("id"), lit(i)).bitwiseAND(lit(0xFFFFFFL)).cast("double").divide(0xFFFFFF);
        Column base = i % 3 == 0 ? u.multiply(100) : i % 3 == 1 ? functions.log(u.plus(1e-9)).multiply(-10)
            : functions.floor(u.multiply(u).multiply(6));
        Column shift = when(expr("(id DIV " + segments + ") % 2 = 1 AND " + (i % 3 == 0)), lit(5.0)).otherwise(lit(0.0));
        columns.add(base.plus(shift).as(names.get(i)));
      }
      spark.range(rows).select(columns.toArray(new Column[0])).write().mode("overwrite").parquet(table.toString());
    }
    Dataset<Row> data = spark.read().parquet(table.toString());
    System.out.printf(Locale.ROOT, "bench: %,d rows × %d numeric features × %d segments × 2 windows in %s%n", rows,
        features, segments, table);

    List<Column> quantiles = names.stream().map(f -> DriftProfiles.quantileSketch(f).as(f)).toList();
    double bare = BenchTimer.time("one approximate-quantile pass", () -> data.groupBy("segment", "window")
        .agg(quantiles.get(0), quantiles.subList(1, quantiles.size()).toArray(new Column[0])).collectAsList());
    long[] alerts = new long[1];
    double suite = BenchTimer.time("drift suite (3 passes + comparisons)", () -> {
      DriftSuite.Result r = DriftSuite.run(data, "segment", "window", names, List.of(), Map.of(),
          f -> DriftThresholds.DEFAULT);
      alerts[0] = r.drifts().stream().filter(d -> d.level() == DriftThresholds.Level.ALERT).count();
    });
    System.out.printf(Locale.ROOT, "%nbench: %-40s %10s%n", "job", "seconds");
    System.out.printf(Locale.ROOT, "bench: %-40s %10.1f%n", "approximate quantiles only", bare);
    System.out.printf(Locale.ROOT, "bench: %-40s %10.1f%n", "drift suite", suite);
    System.out.printf(Locale.ROOT, "bench: %d of %d segment × feature drifts alert (every third feature is shifted)%n",
        alerts[0], features * segments);
    System.out.printf(Locale.ROOT, "bench: ratio drift suite / quantile pass = %.2f×%n", suite / bare);
    return RehearsalCli.EXIT_OK;
  }
}
