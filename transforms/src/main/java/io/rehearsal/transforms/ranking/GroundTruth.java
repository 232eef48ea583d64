package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The temporal split of the evaluation protocol. Training sees only events with {@code event_ts} before
 * the cutoff instant (cutoff day 00:00 UTC); the ground truth is the user's interactions in the horizon
 * [cutoff, cutoff + horizon days), each item graded by the highest relevance among its event types
 * (e.g. purchase 3 &gt; add_to_cart 2 &gt; click 1), with the purchased revenue as its value.
 */
public final class GroundTruth {

  private GroundTruth() {}

  public static Column beforeCutoff(LocalDate cutoff) {
    return col("event_ts").lt(lit(Timestamp.from(cutoff.atStartOfDay(ZoneOffset.UTC).toInstant())));
  }

  /** Training events of a lookback window: {@code event_ts} in [cutoff − lookback days, cutoff). */
  public static Column trainingWindow(LocalDate cutoff, int lookbackDays) {
    if (lookbackDays < 1) {
      throw new IllegalArgumentException("lookback must be >= 1 day, got " + lookbackDays);
    }
    return beforeCutoff(cutoff).and(org.apache.spark.sql.functions.not(beforeCutoff(cutoff.minusDays(lookbackDays))));
  }

  /** The weight (or grade) of an event by its type; types not listed weigh {@code otherwise}. */
  public static Column byEventType(Map<String, Double> weights, Column otherwise) {
    Column weight = otherwise;
    for (Map.Entry<String, Double> e : new TreeMap<>(weights).entrySet()) {
      weight = when(col("event_type").equalTo(e.getKey()), lit(e.getValue())).otherwise(weight);
    }
    return weight;
  }

  /** (user_id, item_id, relevance DOUBLE, value DOUBLE) of the horizon's graded interactions. */
  public static Dataset<Row> of(Dataset<Row> events, LocalDate cutoff, int horizonDays, Map<String, Double> grades) {
    if (horizonDays < 1) {
      throw new IllegalArgumentException("horizon must be >= 1 day, got " + horizonDays);
    }
    if (grades.isEmpty()) {
      throw new IllegalArgumentException("at least one event type must be graded");
    }
    Column grade = byEventType(grades, lit(null).cast(DataTypes.DoubleType));
    Column inHorizon = org.apache.spark.sql.functions.not(beforeCutoff(cutoff)).and(beforeCutoff(cutoff.plusDays(horizonDays)));
    Column revenue = when(col("event_type").equalTo("purchase"),
        col("quantity").cast(DataTypes.DoubleType).multiply(col("unit_price").cast(DataTypes.DoubleType)));
    return events.where(inHorizon)
        .withColumn("__grade", grade)
        .where(col("__grade").gt(0))
        .groupBy("user_id", "item_id")
        .agg(max("__grade").as("relevance"), coalesce(sum(revenue), lit(0.0)).as("value"));
  }

  /** (user_id, item_id) pairs the user purchased before the cutoff: excluded from lists on request. */
  public static Dataset<Row> purchasedBefore(Dataset<Row> events, LocalDate cutoff) {
    return events.where(beforeCutoff(cutoff).and(col("event_type").equalTo("purchase")))
        .select("user_id", "item_id").distinct();
  }
}
