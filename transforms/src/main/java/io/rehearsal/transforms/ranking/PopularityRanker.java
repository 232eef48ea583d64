package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Popularity rankers trained on events before the cutoff: every item scores the sum of its events'
 * weights (by event type) in the lookback window; {@code recency_popularity} also decays each event by
 * 2^(−age / half-life), age measured to the cutoff instant. Every user gets the same ranking, minus the
 * items excluded for them. "Global" or "per segment" is decided by which events the caller passes.
 */
public final class PopularityRanker {

  private static final double MICROS_PER_DAY = 86_400_000_000.0;

  private PopularityRanker() {}

  /** (item_id, score) from training events: weights per event type, lookback days, optional half-life. */
  public static Dataset<Row> itemScores(Dataset<Row> events, LocalDate cutoff, int lookbackDays,
      Map<String, Double> weights, Double halfLifeDays) {
    Column weight = GroundTruth.byEventType(weights, lit(0.0));
    long cutoffMicros = cutoff.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    if (halfLifeDays != null) {
      if (!(halfLifeDays > 0)) {
        throw new IllegalArgumentException("half-life must be > 0 days, got " + halfLifeDays);
      }
      Column ageDays = lit(cutoffMicros).minus(unix_micros(col("event_ts"))).divide(MICROS_PER_DAY);
      weight = weight.multiply(exp(ageDays.multiply(-Math.log(2) / halfLifeDays)));
    }
    return events
        .where(GroundTruth.trainingWindow(cutoff, lookbackDays))
        .groupBy("item_id")
        .agg(sum(weight).as("score"))
        .where(col("score").gt(0));
  }

  /**
   * Top-k lists for the given users from item scores. Only the best (k + extra) items are considered, so a
   * user who has excluded more than {@code extra} of them gets a shorter list.
   */
  public static Dataset<Row> recommend(Dataset<Row> users, Dataset<Row> itemScores, Dataset<Row> excluded, int k,
      int extra) {
    Dataset<Row> best = itemScores.orderBy(col("score").desc(), col("item_id").asc()).limit(k + extra);
    Dataset<Row> candidates = users.select("user_id").distinct().crossJoin(functions.broadcast(best));
    return Recommendations.topK(candidates, excluded, k);
  }
}
