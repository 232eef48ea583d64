package io.rehearsal.pipelines.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.cli.SparkOptions;
import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The backfill benchmark behind bench/run ({@link BenchCli}): in one Spark application, a bare
 * job that only reads the events and aggregates them per (user, day), then the full default feature
 * backfill (users and items) over the same events; both write to Spark's no-op sink so that storage
 * speed does not enter the ratio. Prints throughput and the ratio side by side.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Benchmark: backfill throughput vs a bare per-(user, day) aggregation over the same events.")
public final class BackfillBenchCommand implements Callable<Integer> {

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "Lake with events, users, items (Delta).")
  String lake;

  @Option(names = "--days", defaultValue = "14", description = "As-of days to backfill, ending at the last event day (default: ${DEFAULT-VALUE}).")
  int days;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    SparkSession spark = sparkOptions.session("rehearsal-bench");
    Dataset<Row> events = spark.read().format("delta").load(Path.of(lake, "events").toString());
    Dataset<Row> users = spark.read().format("delta").load(Path.of(lake, "users").toString());
    Dataset<Row> items = spark.read().format("delta").load(Path.of(lake, "items").toString());
    Row span = events.agg(count("*"), max(col("event_ts"))).first();
    long n = span.getLong(0);
    LocalDate end = span.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate start = end.minusDays(days - 1);
    FeatureSet set = new FeatureSetLoader().loadDefault();
    System.out.printf(Locale.ROOT, "bench: %,d events in %s; as-of days %s … %s; %d features (%s)%n", n, lake, start,
        end, set.specs().size(), set.source());
    if (n < 10_000_000L) {
      System.out.println("bench: note: fewer than 10M events; pass a larger --scale to bench/run for the reference size");
    }

    double bare = BenchTimer.time("bare per-(user, day) aggregation", () -> events
        .groupBy(col("user_id"), expr("to_date(event_ts)").as("day"))
        .agg(count("*"), sum(expr("quantity * unit_price")))
        .write().format("noop").mode("overwrite").save());
    FeatureInputs inputs = FeatureInputs.of(events, users, items);
    double backfill = BenchTimer.time("backfill (user + item features)", () -> {
      for (Entity entity : Entity.values()) {
        inputs.featureRows(set, entity, start, end, "bench", "bench").write().format("noop").mode("overwrite").save();
      }
    });
    System.out.printf(Locale.ROOT, "%nbench: %-34s %10s %16s%n", "job", "seconds", "events/second");
    System.out.printf(Locale.ROOT, "bench: %-34s %10.1f %,16.0f%n", "bare aggregation", bare, n / bare);
    System.out.printf(Locale.ROOT, "bench: %-34s %10.1f %,16.0f%n", "backfill, " + days + " as-of days", backfill,
        n / backfill);
    System.out.printf(Locale.ROOT, "bench: ratio backfill / bare = %.2f×%n", backfill / bare);
    return RehearsalCli.EXIT_OK;
  }
}
