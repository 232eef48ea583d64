package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Spark MLlib ALS with implicit feedback, trained on events before the cutoff: the confidence of a
 * (user, item) pair is the sum of its events' weights. String ids become dense integer indexes in id
 * order (not in order of appearance), and the block counts are fixed, so the same data, parameters and
 * seed train the same model on any partitioning.
 */
public final class AlsRanker {

  /** The folders of a saved model ({@code kind: spark_ml}) under its path. */
  public static final java.util.List<String> SAVED_PARTS = java.util.List.of("model", "users", "items");

  /** How to lay out a saved model's folder, for messages about the model of that role. */
  public static String savedLayoutFix(String role) {
    return "point models." + role + ".path at a folder holding model/ (ALSModel.write().save), users/ (user_id, u) and "
        + "items/ (item_id, i) as Parquet";
  }

  /** Declared parameters; {@code blocks} fixes the user and item block counts. */
  public record Params(int rank, int maxIter, double regParam, double alpha, long seed, int blocks) {}

  /** A trained model with its id mappings. */
  public record Trained(ALSModel model, Dataset<Row> userIndex, Dataset<Row> itemIndex) {}

  private AlsRanker() {}

  public static Trained train(Dataset<Row> events, LocalDate cutoff, int lookbackDays, Map<String, Double> weights,
      Params params) {
    Column weight = GroundTruth.byEventType(weights, lit(0.0));
    Dataset<Row> training = events.where(GroundTruth.trainingWindow(cutoff, lookbackDays));
    Dataset<Row> userIndex = index(training, "user_id", "u");
    Dataset<Row> itemIndex = index(training, "item_id", "i");
    Dataset<Row> ratings = training.groupBy("user_id", "item_id").agg(sum(weight).as("confidence"))
        .where(col("confidence").gt(0))
        .join(userIndex, "user_id").join(itemIndex, "item_id");
    ALS als = new ALS().setImplicitPrefs(true).setRank(params.rank()).setMaxIter(params.maxIter())
        .setRegParam(params.regParam()).setAlpha(params.alpha()).setSeed(params.seed())
        .setNumUserBlocks(params.blocks()).setNumItemBlocks(params.blocks())
        .setUserCol("u").setItemCol("i").setRatingCol("confidence").setColdStartStrategy("drop");
    return new Trained(als.fit(ratings), userIndex, itemIndex);
  }

  /** Top-k lists for the given users (users unknown to the model get none: the caller falls back). */
  public static Dataset<Row> recommend(Trained trained, Dataset<Row> users, Dataset<Row> excluded, int k, int extra) {
    Dataset<Row> subset = users.select("user_id").distinct().join(trained.userIndex(), "user_id");
    Dataset<Row> recs = trained.model().recommendForUserSubset(subset.select("u"), k + extra)
        .select(col("u"), explode(col("recommendations")).as("r"))
        .select(col("u"), col("r.i").as("i"), col("r.rating").cast("double").as("score"));
    Dataset<Row> candidates = recs.join(trained.userIndex(), "u").join(trained.itemIndex(), "i")
        .select("user_id", "item_id", "score");
    return Recommendations.topK(candidates, excluded, k);
  }

  private static Dataset<Row> index(Dataset<Row> events, String idColumn, String indexColumn) {
    return events.select(idColumn).distinct()
        .withColumn(indexColumn, dense_rank().over(Window.orderBy(idColumn)).minus(1).cast("int"));
  }
}
