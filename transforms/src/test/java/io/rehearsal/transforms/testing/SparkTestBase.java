package io.rehearsal.transforms.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * spark-testing-base fixture with Rehearsal's test settings: one local[2] session per test class
 * (surefire forks a JVM per class), UI off, few shuffle partitions, Delta enabled, UTC, and a
 * temporary folder per test.
 */
public abstract class SparkTestBase extends JavaDataFrameSuiteBase {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Override
  public SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2]")
        .setAppName(getClass().getSimpleName())
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", "4")
        .set("spark.default.parallelism", "4")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .set("spark.databricks.delta.snapshotPartitions", "2")
        .set("spark.sql.warehouse.dir", "target/spark-warehouse");
  }
}
