package io.rehearsal.pipelines.spark;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.transforms.hash.ContentHash;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * What bin/rehearsal runs once per Java and Spark install to make its start-up class archive (JDK class-data
 * sharing, docs/launcher.md): the classes nearly every command loads — a session with Delta, a Delta commit
 * through the project's store, a pinned read, an aggregate, a window, a content hash — so that later JVMs map them
 * from the archive instead of loading and verifying them again. Writes only into the scratch folder it is given.
 */
public final class StartupWarmUp {

  private StartupWarmUp() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: StartupWarmUp <empty scratch folder>");
    }
    String table = Path.of(args[0]).resolve("warm-up").toString();
    SparkSession spark = RehearsalSpark.getOrCreate("rehearsal-warm-up");
    spark.sparkContext().setLogLevel("ERROR");
    DeltaTableStore store = new DeltaTableStore(spark);
    Dataset<Row> rows = spark.range(200).selectExpr("CAST(id AS STRING) AS user_id", "CAST(id % 7 AS STRING) AS key",
        "CAST(id * 1.5 AS DECIMAL(12,2)) AS amount", "TIMESTAMP '2025-01-01 00:00:00' + make_interval(0, 0, 0, CAST(id AS INT)) AS at");
    store.write(rows, table, null, List.of(), "warm-up");
    Dataset<Row> read = store.read(store.pin(TableSource.delta("warm-up", table)));
    read.groupBy("key").agg(functions.sum("amount"), functions.countDistinct("user_id")).orderBy("key").collectAsList();
    read.withColumn("rank", functions.row_number().over(Window.partitionBy("key").orderBy("at"))).where("rank <= 3")
        .collectAsList();
    ContentHash.of(read);
    spark.stop();
  }
}
