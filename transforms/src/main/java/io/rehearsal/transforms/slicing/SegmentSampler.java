package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.hash.DeterministicRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deterministic user sampling: every decision is a function of (seed, user_id) through
 * {@link DeterministicRandom}, and every cut-off ties on user_id, so the sample does not depend on
 * partitioning, row order, core count or shuffle partitions.
 *
 * <p>Input: eligible user profiles (after filter and minimum events). Output: {@code user_id,
 * inclusion_probability}. Definitions are in docs/manifest.md.
 */
public final class SegmentSampler {

  static final String PURPOSE = "segment-sample";

  private SegmentSampler() {}

  /**
   * @param eligible eligible user profiles ({@link UserProfiles} columns)
   * @param windowEvents all users' events in the segment window (used by head_tail to rank the catalog)
   */
  public static Dataset<Row> sample(Dataset<Row> eligible, Dataset<Row> windowEvents, SamplingSpec spec) {
    Column u = DeterministicRandom.uniform(spec.seed(), PURPOSE, col("user_id"));
    Dataset<Row> withU = eligible.withColumn("_u", u);
    switch (spec.policy()) {
      case UNIFORM:
        return uniform(withU, spec);
      case STRATIFIED:
        return stratified(withU, spec);
      case REVENUE_WEIGHTED:
        return revenueWeighted(withU, spec);
      case HEAD_TAIL:
        return uniform(headTailPart(withU, windowEvents, spec), spec);
      default:
        throw new IllegalArgumentException("Unknown sampling policy " + spec.policy());
    }
  }

  /** Bernoulli(rate) on the hash for a rate; the {@code size} smallest hashes for a size. */
  private static Dataset<Row> uniform(Dataset<Row> withU, SamplingSpec spec) {
    if (spec.rate() != null) {
      return withU.where(col("_u").lt(lit(spec.rate())))
          .select(col("user_id"), lit(spec.rate()).as("inclusion_probability"));
    }
    long population = withU.count();
    long n = Math.min(spec.size(), population);
    double p = population == 0 ? 0.0 : (double) n / population;
    return withU
        .withColumn("_rank", row_number().over(Window.orderBy(col("_u"), col("user_id"))))
        .where(col("_rank").leq(lit(n)))
        .select(col("user_id"), lit(p).as("inclusion_probability"));
  }

  /**
   * Proportional allocation by the largest-remainder method, so strata keep the population's
   * proportions and the total is exactly round(rate × N) (or size); within a stratum the users with
   * the smallest hashes are taken.
   */
  private static Dataset<Row> stratified(Dataset<Row> withU, SamplingSpec spec) {
    Column stratum = org.apache.spark.sql.functions.coalesce(col(spec.stratifyBy()).cast("string"), lit("__null__"));
    Dataset<Row> tagged = withU.withColumn("_stratum", stratum);
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Row r : tagged.groupBy("_stratum").agg(count(lit(1)).as("n")).orderBy("_stratum").collectAsList()) {
      sizes.put(r.getString(0), r.getLong(1));
    }
    long population = sizes.values().stream().mapToLong(Long::longValue).sum();
    long target = targetSize(spec, population);
    Map<String, Long> allocation = largestRemainder(sizes, population, target);

    SparkSession spark = withU.sparkSession();
    StructType allocSchema = new StructType()
        .add("_stratum", DataTypes.StringType)
        .add("_take", DataTypes.LongType)
        .add("_stratum_n", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    allocation.forEach((k, v) -> rows.add(RowFactory.create(k, v, sizes.get(k))));
    Dataset<Row> alloc = spark.createDataFrame(rows, allocSchema);
    return tagged.join(broadcast(alloc), "_stratum")
        .withColumn("_rank", row_number().over(Window.partitionBy("_stratum").orderBy(col("_u"), col("user_id"))))
        .where(col("_rank").leq(col("_take")))
        .select(col("user_id"), col("_take").divide(col("_stratum_n")).as("inclusion_probability"));
  }

  /**
   * Weighted sampling without replacement (Efraimidis–Spirakis): key = ln(1 − u) / revenue, the
   * {@code n} largest keys win. Users without revenue come last. The recorded inclusion probability is
   * the usual PPS approximation min(1, n × w / W).
   */
  private static Dataset<Row> revenueWeighted(Dataset<Row> withU, SamplingSpec spec) {
    Column revenue = col("revenue_in_window");
    Column w = revenue.cast("double");
    // The total in exact DECIMAL: a sum of doubles depends on the order partial sums meet, which differs
    // between local mode and a cluster, and would change the recorded probabilities in their last bits.
    Row totals = withU.agg(count(lit(1)), sum(when(revenue.gt(0), revenue))).first();
    long population = totals.getLong(0);
    double totalWeight = totals.isNullAt(1) ? 0.0 : totals.getDecimal(1).doubleValue();
    long n = targetSize(spec, population);
    Column key = when(w.gt(0), log(lit(1.0).minus(col("_u"))).divide(w));
    Column p = totalWeight <= 0
        ? lit(0.0)
        : org.apache.spark.sql.functions.least(lit(1.0), w.multiply(lit(n / totalWeight)));
    return withU
        .withColumn("_key", key)
        .withColumn("_rank", row_number().over(Window.orderBy(col("_key").desc_nulls_last(), col("_u"), col("user_id"))))
        .where(col("_rank").leq(lit(n)))
        .select(col("user_id"), when(w.gt(0), p).otherwise(lit(0.0)).as("inclusion_probability"));
  }

  /**
   * Keeps the users whose purchases fall mostly in the requested part of the catalog. The head is the
   * ceil(head_items_share × K) most purchased items among the K items purchased in the window (ties
   * by item_id); a user belongs to a part when at least min_share of their window purchases are in it.
   * Users without purchases in the window belong to neither part.
   */
  private static Dataset<Row> headTailPart(Dataset<Row> withU, Dataset<Row> windowEvents, SamplingSpec spec) {
    Dataset<Row> purchases = windowEvents.where(col("event_type").equalTo("purchase")).select("user_id", "item_id");
    Dataset<Row> popularity = purchases.groupBy("item_id").agg(count(lit(1)).as("_purchases"));
    Dataset<Row> ranked = popularity
        .withColumn("_item_rank", row_number().over(Window.orderBy(desc("_purchases"), col("item_id"))))
        .withColumn("_items", count(lit(1)).over(Window.partitionBy()))
        .withColumn("_is_head", col("_item_rank").leq(ceil(col("_items").multiply(lit(spec.headItemsShare())))))
        .select("item_id", "_is_head");
    Dataset<Row> share = purchases.join(ranked, "item_id")
        .groupBy("user_id")
        .agg(sum(when(col("_is_head"), 1.0).otherwise(0.0)).divide(count(lit(1))).as("_head_share"));
    Column partShare = "head".equals(spec.catalogPart()) ? col("_head_share") : lit(1.0).minus(col("_head_share"));
    return withU.join(share, "user_id").where(partShare.geq(lit(spec.minShare()))).drop("_head_share");
  }

  static long targetSize(SamplingSpec spec, long population) {
    if (spec.size() != null) {
      return Math.min(spec.size(), population);
    }
    return Math.min(population, Math.round(spec.rate() * population));
  }

  /** Splits {@code target} over strata proportionally to their sizes; remainders go to the largest fractions (ties by name). */
  static Map<String, Long> largestRemainder(Map<String, Long> sizes, long population, long target) {
    Map<String, Long> allocation = new LinkedHashMap<>();
    if (population == 0) {
      sizes.keySet().forEach(k -> allocation.put(k, 0L));
      return allocation;
    }
    List<Map.Entry<String, Double>> remainders = new ArrayList<>();
    long assigned = 0;
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      double exact = (double) target * e.getValue() / population;
      long floor = (long) Math.floor(exact);
      allocation.put(e.getKey(), floor);
      assigned += floor;
      remainders.add(Map.entry(e.getKey(), exact - floor));
    }
    remainders.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
        .thenComparing(Map.Entry::getKey));
    for (int i = 0; i < target - assigned; i++) {
      String k = remainders.get(i).getKey();
      allocation.put(k, allocation.get(k) + 1);
    }
    return allocation;
  }
}
