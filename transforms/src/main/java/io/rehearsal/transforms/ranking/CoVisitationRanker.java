package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import io.rehearsal.transforms.Columns;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Item-to-item co-visitation trained on events before the cutoff: two items co-occur when they appear in
 * the same session or the same order (basket); their weight is the number of distinct sessions and
 * baskets they share. A user's candidates are the co-visited items of their {@code history} most recently
 * touched items, scored by the summed weights; the seed items themselves are not recommended.
 */
public final class CoVisitationRanker {

  /** Items per session or basket considered (the most recent ones), bounding the pair count. */
  public static final int MAX_ITEMS_PER_GROUP = 30;

  private CoVisitationRanker() {}

  /** Neighbours kept per item (the heaviest), bounding the lists' candidate join. */
  public static final int NEIGHBOURS_PER_ITEM = 100;

  /**
   * (item_id, other_id, weight) for ordered pairs of distinct co-visited items: each item's
   * {@value #NEIGHBOURS_PER_ITEM} heaviest neighbours, ties by id.
   */
  public static Dataset<Row> pairs(Dataset<Row> events, LocalDate cutoff, int lookbackDays) {
    Dataset<Row> training = events.where(GroundTruth.trainingWindow(cutoff, lookbackDays));
    Dataset<Row> sessions = training.where(col("session_id").isNotNull())
        .select(concat(lit("s:"), col("user_id"), lit("/"), col("session_id")).as("grp"), col("item_id"), col("event_ts"));
    Dataset<Row> baskets = training.where(col("order_id").isNotNull())
        .select(concat(lit("o:"), col("user_id"), lit("/"), col("order_id")).as("grp"), col("item_id"), col("event_ts"));
    Dataset<Row> groups = sessions.unionByName(baskets)
        .groupBy("grp", "item_id").agg(max("event_ts").as("last_ts"))
        .withColumn("pos", row_number().over(Window.partitionBy("grp")
            .orderBy(col("last_ts").desc(), col("item_id").asc())))
        .where(col("pos").leq(MAX_ITEMS_PER_GROUP))
        .groupBy("grp").agg(collect_list("item_id").as("items"));
    // Every ordered pair of a group's distinct items, from the group's list: the same pairs as a self-join on the
    // group, without shuffling and sorting the group's rows a second time (30% faster on the demo lake).
    Column orderedPairs = expr("flatten(transform(items, x -> transform(filter(items, y -> y != x), "
        + "y -> named_struct('item_id', x, 'other_id', y))))");
    return groups.select(explode(orderedPairs).as("pair"))
        .select(col("pair.item_id").as("item_id"), col("pair.other_id").as("other_id"))
        .groupBy("item_id", "other_id")
        .agg(count("*").cast("double").as("weight"))
        .withColumn("__n", row_number().over(Window.partitionBy("item_id")
            .orderBy(col("weight").desc(), col("other_id").asc())))
        .where(col("__n").leq(NEIGHBOURS_PER_ITEM))
        .drop("__n");
  }

  /** Top-k co-visitation lists for the users' {@code history} most recent items before the cutoff. */
  public static Dataset<Row> recommend(Dataset<Row> events, Dataset<Row> pairs, Dataset<Row> users, LocalDate cutoff,
      int history, Dataset<Row> excluded, int k) {
    Dataset<Row> recent = events.where(GroundTruth.beforeCutoff(cutoff))
        .join(users.select("user_id").distinct(), "user_id")
        .groupBy("user_id", "item_id").agg(max("event_ts").as("last_ts"))
        .withColumn("pos", row_number().over(Window.partitionBy("user_id")
            .orderBy(col("last_ts").desc(), col("item_id").asc())))
        .where(col("pos").leq(history))
        .select("user_id", "item_id");
    Dataset<Row> candidates = recent.join(pairs, "item_id")
        .groupBy(col("user_id"), col("other_id").as("item_id"))
        .agg(sum("weight").as("score"))
        .join(recent.withColumn("__seed", lit(true)), Columns.using("user_id", "item_id"), "left")
        .where(coalesce(col("__seed"), lit(false)).equalTo(false))
        .select("user_id", "item_id", "score");
    return Recommendations.topK(candidates, excluded, k);
  }
}
