package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.rehearsal.transforms.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The recommendations table every model produces: {@code (user_id, item_id, rank, score)}, rank 1 first.
 * Ranks come from scores, highest first; equal scores are ordered by item id ascending, so a list never
 * depends on partitioning or row order.
 */
public final class Recommendations {

  public static final StructType SCHEMA = new StructType()
      .add("user_id", DataTypes.StringType, false)
      .add("item_id", DataTypes.StringType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("score", DataTypes.DoubleType, true);

  private Recommendations() {}

  /**
   * The top k of scored (user_id, item_id, score) candidates per user, after removing the excluded
   * (user_id, item_id) pairs (null: none).
   */
  public static Dataset<Row> topK(Dataset<Row> candidates, Dataset<Row> excluded, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    Dataset<Row> kept = excluded == null ? candidates
        : candidates.join(excluded.select("user_id", "item_id"), Columns.using("user_id", "item_id"), "left_anti");
    return kept
        .withColumn("rank", row_number().over(Window.partitionBy("user_id")
            .orderBy(col("score").desc_nulls_last(), col("item_id").asc())))
        .where(col("rank").leq(k))
        .select(col("user_id"), col("item_id"), col("rank").cast(DataTypes.IntegerType), col("score").cast(DataTypes.DoubleType));
  }
}
