package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.spark.RehearsalSpark;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark-running subcommand shares (mixed in with {@code @Mixin}). */
public final class SparkOptions {

  @Option(names = "--verbose", description = "Show Spark's INFO logs (quiet by default).")
  boolean verbose;

  @Option(names = "--run-id", description = "Run id recorded in every Delta commit (default: generated).")
  String runId;

  public SparkSession session(String appName) {
    // demo runs other subcommands in the same JVM: reuse its session instead of building another.
    SparkSession spark = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get() : RehearsalSpark.getOrCreate(appName);
    // Spark's own lines at ERROR unless --verbose (conf/log4j2.properties keeps Rehearsal's loggers at WARN): its WARN
    // lines (broadcast sizes, checkpoint folders on a cluster) are noise in a product console.
    spark.sparkContext().setLogLevel(verbose ? "INFO" : "ERROR");
    return spark;
  }

  public String runId(String prefix) {
    String id = runId != null && !runId.isBlank() ? runId
        : prefix + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC).format(Instant.now())
            + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    ResultLine.runId(id);
    return id;
  }
}
