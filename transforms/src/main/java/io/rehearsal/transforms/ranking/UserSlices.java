package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The slices of each user of a segment (one row per user of the users table): new vs returning (a purchase before
 * the cutoff), cold vs warm (at most {@code coldUserMaxEvents} events before it), head vs tail (at least half of
 * the user's held-out interactions on head items; null without any) and the users table's country and device
 * (null when it has no such column).
 */
public final class UserSlices {

  private UserSlices() {}

  public static Dataset<Row> of(Dataset<Row> events, Dataset<Row> users, Dataset<Row> truth, Set<String> head,
      EvaluationSpec spec) {
    Dataset<Row> history = events.where(GroundTruth.beforeCutoff(spec.cutoff())).groupBy("user_id").agg(
        count(lit(1)).as("__events"), max(col("event_type").equalTo("purchase")).as("__bought"));
    Dataset<Row> headItems = events.sparkSession().createDataFrame(
        head.stream().map(i -> RowFactory.create(i)).toList(), new StructType().add("item_id", DataTypes.StringType));
    Dataset<Row> taste = truth.join(broadcast(headItems.withColumn("__head", lit(1.0))), Columns.using("item_id"),
            "left")
        .groupBy("user_id").agg(avg(coalesce(col("__head"), lit(0.0))).as("__head_share"));
    List<String> columns = Arrays.asList(users.columns());
    return users.select(col("user_id"), attribute(columns, "country"), attribute(columns, "device"))
        .join(history, Columns.using("user_id"), "left")
        .join(taste, Columns.using("user_id"), "left")
        .select(col("user_id"),
            when(coalesce(col("__bought"), lit(false)), lit("returning")).otherwise(lit("new")).as("new_vs_returning"),
            when(coalesce(col("__events"), lit(0L)).leq(spec.coldUserMaxEvents()), lit("cold")).otherwise(lit("warm"))
                .as("cold_vs_warm"),
            when(col("__head_share").isNull(), lit(null).cast("string"))
                .when(col("__head_share").geq(0.5), lit("head")).otherwise(lit("tail")).as("head_vs_tail"),
            col("country"), col("device"));
  }

  private static Column attribute(List<String> columns, String name) {
    return (columns.contains(name) ? col(name).cast("string") : lit(null).cast("string")).as(name);
  }
}
