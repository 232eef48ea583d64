package io.rehearsal.transforms.simulation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Whether every user got a valid list: at least {@code depth} distinct items, each available (in the
 * catalog as served). A user fails with the first problem found, in this order: no list, an unavailable
 * item, a repeated item, a short list.
 */
public final class ListValidity {

  public static final String NO_LIST = "no list";
  public static final String UNAVAILABLE_ITEM = "item not available";
  public static final String REPEATED_ITEM = "repeated item";
  public static final String SHORT_LIST = "short list";

  private ListValidity() {}

  /** Users per problem (only problems that occur), plus nothing for valid users. */
  public static Map<String, Long> problems(Dataset<Row> users, Dataset<Row> lists, Dataset<Row> available, int depth) {
    Dataset<Row> flagged = lists.join(available.select(col("item_id"), lit(true).as("__available")).distinct(),
        Columns.using("item_id"), "left");
    Dataset<Row> perUser = flagged.groupBy("user_id").agg(count(lit(1)).as("__rows"),
        countDistinct("item_id").as("__distinct"),
        sum(when(col("__available").isNull(), 1).otherwise(0)).as("__unavailable"));
    Dataset<Row> judged = users.select("user_id").distinct().join(perUser, Columns.using("user_id"), "left")
        .select(when(col("__rows").isNull(), lit(NO_LIST))
            .when(col("__unavailable").gt(0), lit(UNAVAILABLE_ITEM))
            .when(col("__distinct").lt(col("__rows")), lit(REPEATED_ITEM))
            .when(col("__distinct").lt(depth), lit(SHORT_LIST)).as("problem"))
        .where(col("problem").isNotNull());
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : judged.groupBy("problem").count().collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }
}
