package io.rehearsal.transforms.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import com.holdenkarau.spark.testing.SharedJavaSparkContext;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.AfterClass;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * spark-testing-base fixture with Rehearsal's test settings: one local[2] session for every test class that
 * runs in the same JVM (surefire reuses its fork), UI off, no Hive, few shuffle partitions, no adaptive execution,
 * Delta enabled, UTC, and a temporary folder per test. A test class that needs sessions of its own (another master,
 * another core count) calls {@link #stopSharedSession()} first and stops its own sessions when done; the next class
 * of this base starts the shared session again.
 */
public abstract class SparkTestBase extends JavaDataFrameSuiteBase {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  /**
   * Shadows spark-testing-base's {@code @AfterClass}, which stops the context after every class: starting
   * Spark again costs 5-10 s per class. The JVM's exit ends the shared session.
   */
  @AfterClass
  public static void runAfterClass() {
    // keep the shared session for the next class
  }

  /**
   * Stops the shared session, if one is running, and forgets Delta's cached table states that belong to it. In the
   * same JVM rather than a JVM of its own, a class with its own sessions finds Spark's code already compiled: the
   * snapshot determinism test took 97 CPU-seconds in a fresh JVM.
   */
  public static void stopSharedSession() {
    SharedJavaSparkContext.runAfterClass();
    forgetSessions();
  }

  /** Clears the active and default session and Delta's cached table states (after stopping a session). */
  public static void forgetSessions() {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    DeltaLog.clearCache();
  }

  /** Hive's metastore is never used and costs seconds at start-up. */
  @Override
  public boolean enableHiveSupport() {
    return false;
  }

  @Override
  public SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2]")
        .setAppName("rehearsal-tests")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.default.parallelism", "4")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .set("spark.databricks.delta.snapshotPartitions", "1")
        .set("spark.databricks.delta.allFilesInCrc.enabled", "false")
        // No per-file statistics and no checksum file per commit (as conf/profiles/small.conf, measured there).
        .set("spark.databricks.delta.stats.collect", "false")
        .set("spark.databricks.delta.writeChecksumFile.enabled", "false")
        .set("spark.sql.warehouse.dir", "target/spark-warehouse")
        // Test data is tiny: generating and compiling code for every plan cost about a quarter of the unit tests'
        // CPU (profiled with JFR), more than running the plans (as conf/profiles/small.conf, which bin/test's
        // scale-1 runs use). The default-scale demo that bin/test runs keeps Spark's defaults, so both of Spark's
        // execution paths are checked.
        .set("spark.sql.codegen.wholeStage", "false")
        .set("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        // Interpreted plans share subexpressions through a per-row cache that costs more than evaluating them twice
        // (as conf/profiles/small.conf, measured there).
        .set("spark.sql.subexpressionElimination.enabled", "false")
        // Tiny data: what costs is per query, stage and task (as conf/profiles/small.conf, measured there): no
        // adaptive re-planning after every shuffle stage, two shuffle partitions, one for a Delta table's state.
        .set("spark.sql.adaptive.enabled", "false")
        // VACUUM and file listing fan out to 10,000 tasks by default; 4 suit a local[2] session.
        .set("spark.sql.sources.parallelPartitionDiscovery.parallelism", "4");
  }
}
