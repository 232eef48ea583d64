package io.rehearsal.pipelines.spark;

import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession every Rehearsal entry point uses: Delta enabled, UTC, local by default. */
public final class RehearsalSpark {

  /** Compiled classes of generated code kept for reuse; Spark's default is 100. */
  static final int CODEGEN_CACHE_ENTRIES = 4096;

  private RehearsalSpark() {}

  public static SparkSession getOrCreate(String appName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
    if (!conf.contains("spark.master")) {
      // Launched without spark-submit (an IDE, a test): run locally rather than fail.
      builder.master("local[*]");
    }
    // Defaults below apply only where neither spark-submit nor spark-defaults.conf sets the key.
    String master = conf.get("spark.master", "local[*]");
    defaultIfUnset(conf, builder, "spark.sql.shuffle.partitions", "8");
    // Delta rebuilds a table's state with 50 tasks by default, sized for logs of many thousand files; the tables a
    // run reads and writes have short logs, and 50 tasks per read or commit dominated small runs. On one machine
    // (local masters) one task: the default-scale demo on 2 cores took 780 instead of 831 CPU-seconds with this and
    // the setting below, every content hash the same.
    defaultIfUnset(conf, builder, "spark.databricks.delta.snapshotPartitions", master.startsWith("local") ? "1" : "8");
    // Delta 3.3 lists a small table's files into each commit's checksum file, which costs a state reconstruction per
    // commit (also of an empty state for every new table: JFR of the unit tests); its reads never use that list.
    defaultIfUnset(conf, builder, "spark.databricks.delta.allFilesInCrc.enabled", "false");
    // Spark keeps 100 compiled classes of generated code; a run plans the same operators again and again (per
    // segment, as-of day, model and scenario) and, with more distinct classes than that, compiled them afresh each
    // time, for Janino and then for the JIT.
    defaultIfUnset(conf, builder, "spark.sql.codegen.cache.maxEntries", String.valueOf(CODEGEN_CACHE_ENTRIES));
    return builder.getOrCreate();
  }

  private static void defaultIfUnset(SparkConf conf, SparkSession.Builder builder, String key, String value) {
    if (!conf.contains(key)) {
      builder.config(key, value);
    }
  }

  /** Runs {@code body} inside a named Spark job group so the Spark UI and logs show which step ran. */
  public static <T> T inJobGroup(SparkSession spark, String group, String description, Supplier<T> body) {
    spark.sparkContext().setJobGroup(group, description, false);
    try {
      return body.get();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }
}
