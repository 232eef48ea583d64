package io.rehearsal.pipelines.evaluation;

import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.ranking.GroundTruth;
import io.rehearsal.transforms.ranking.ModelSpec;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The manifest's built-in models trained at one cutoff, for steps other than evaluate that need their lists
 * (the drift suite's prediction drift). Models trained on the whole lake are trained once per instance and
 * kept until {@link #close}; use one instance per cutoff.
 */
public final class ModelLists implements AutoCloseable {

  private final Manifest manifest;
  private final LocalDate cutoff;
  private final ModelScorer scorer;

  public ModelLists(SparkSession spark, TableStore store, Manifest manifest, LocalDate cutoff) {
    this.manifest = manifest;
    this.cutoff = cutoff;
    this.scorer = ModelScorer.forManifest(spark, store, manifest, null, store.read(store.pin(manifest.input("items"))));
  }

  /**
   * (user_id, item_id, rank, score, source) of a built-in model for the users, from the segment's events
   * before the cutoff, the evaluation's exclusion rule applied.
   */
  public Dataset<Row> lists(ModelSpec model, String segment, Dataset<Row> events, Dataset<Row> users, int depth) {
    if (!model.kind().builtIn()) {
      throw new IllegalArgumentException(model.describe() + " is not a built-in model");
    }
    Dataset<Row> excluded = manifest.evaluation().excludePurchased() ? GroundTruth.purchasedBefore(events, cutoff) : null;
    return scorer.score(model, new ModelScorer.Segment(segment, events, users, excluded, cutoff, depth)).lists();
  }

  @Override
  public void close() {
    scorer.release();
  }
}
