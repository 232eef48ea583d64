package io.rehearsal.pipelines.evaluation;

import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.GroundTruth;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * One segment's split at the evaluation cutoff, persisted until {@link #release}: the (user, item) pairs
 * purchased before the cutoff that lists must not repeat (null unless the protocol excludes them) and the
 * graded interactions of the horizon, those pairs left out.
 */
public record HeldOut(Dataset<Row> excluded, Dataset<Row> truth) {

  public static HeldOut of(Dataset<Row> events, EvaluationSpec spec) {
    Dataset<Row> excluded = spec.excludePurchased()
        ? GroundTruth.purchasedBefore(events, spec.cutoff()).persist(StorageLevel.MEMORY_AND_DISK()) : null;
    Dataset<Row> truth = GroundTruth.of(events, spec.cutoff(), spec.horizonDays(), spec.relevance());
    if (excluded != null) {
      truth = truth.join(excluded, Columns.using("user_id", "item_id"), "left_anti");
    }
    return new HeldOut(excluded, truth.persist(StorageLevel.MEMORY_AND_DISK()));
  }

  public void release() {
    truth.unpersist();
    if (excluded != null) {
      excluded.unpersist();
    }
  }
}
