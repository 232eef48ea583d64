package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Item facts of one segment at the evaluation cutoff, collected to the driver (one row per item): each item's
 * price and share of the segment's interactions before the cutoff, the SKUs launched in the {@code newSkuDays}
 * before it ({@link ItemStats}), and the head of the catalog: the most interacted-with items, the first
 * {@code ceil(items × headItemsShare)} by count (ties by item id).
 */
public record ItemFacts(ItemStats stats, Set<String> head) {

  public static ItemFacts of(Dataset<Row> events, Dataset<Row> catalog, EvaluationSpec spec) {
    List<Row> counts = events.where(GroundTruth.beforeCutoff(spec.cutoff())).groupBy("item_id").count()
        .orderBy(col("count").desc(), col("item_id").asc()).collectAsList();
    long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    Map<String, Double> share = new HashMap<>();
    counts.forEach(r -> share.put(r.getString(0), (double) r.getLong(1) / total));
    Set<String> head = new HashSet<>();
    long headSize = (long) Math.ceil(counts.size() * spec.headItemsShare());
    for (int i = 0; i < headSize; i++) {
      head.add(counts.get(i).getString(0));
    }
    Map<String, Double> price = new HashMap<>();
    Set<String> newSkus = new HashSet<>();
    Timestamp cutoff = Timestamp.from(spec.cutoff().atStartOfDay(ZoneOffset.UTC).toInstant());
    Timestamp newFrom = Timestamp.from(spec.cutoff().minusDays(spec.newSkuDays()).atStartOfDay(ZoneOffset.UTC)
        .toInstant());
    boolean hasLaunch = Arrays.asList(catalog.columns()).contains("launch_ts");
    Dataset<Row> priced = catalog.select(col("item_id"), col("price").cast(DataTypes.DoubleType),
        hasLaunch ? col("launch_ts").geq(lit(newFrom)).and(col("launch_ts").lt(lit(cutoff))) : lit(false));
    for (Row r : priced.collectAsList()) {
      if (!r.isNullAt(1)) {
        price.put(r.getString(0), r.getDouble(1));
      }
      if (!r.isNullAt(2) && r.getBoolean(2)) {
        newSkus.add(r.getString(0));
      }
    }
    return new ItemFacts(new ItemStats(price, share, 1.0 / (total + 1), newSkus), head);
  }
}
