package io.rehearsal.transforms.ranking;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains a built-in ranker of a {@link ModelSpec} on events before the cutoff, and lists users' top k
 * from the trained model. Training and listing are separate so that a model trained on the whole lake
 * can serve every segment without being trained again.
 */
public final class BuiltInRankers {

  /** A trained built-in ranker: item scores (popularity), item pairs (co-visitation) or an ALS model. */
  public record Trained(ModelSpec spec, Dataset<Row> table, AlsRanker.Trained als) {}

  private BuiltInRankers() {}

  public static Trained train(ModelSpec spec, Dataset<Row> training, LocalDate cutoff) {
    switch (spec.kind()) {
      case POPULARITY:
        return new Trained(spec, PopularityRanker.itemScores(training, cutoff, spec.lookbackDays(), spec.eventWeights(),
            null), null);
      case RECENCY_POPULARITY:
        return new Trained(spec, PopularityRanker.itemScores(training, cutoff, spec.lookbackDays(), spec.eventWeights(),
            spec.halfLifeDays()), null);
      case CO_VISITATION:
        return new Trained(spec, CoVisitationRanker.pairs(training, cutoff, spec.lookbackDays()), null);
      case ALS:
        return new Trained(spec, null, AlsRanker.train(training, cutoff, spec.lookbackDays(), spec.eventWeights(),
            spec.als()));
      default:
        throw new IllegalArgumentException("not a built-in ranker: " + spec.kind().manifestName());
    }
  }

  /**
   * (user_id, item_id, rank, score) for the given users; {@code history} holds the users' own events, from
   * which co-visitation seeds its lists.
   */
  public static Dataset<Row> recommend(Trained trained, Dataset<Row> history, Dataset<Row> users, Dataset<Row> excluded,
      LocalDate cutoff, int k) {
    int extra = Math.max(50, k);
    switch (trained.spec().kind()) {
      case POPULARITY:
      case RECENCY_POPULARITY:
        return PopularityRanker.recommend(users, trained.table(), excluded, k, extra);
      case CO_VISITATION:
        return CoVisitationRanker.recommend(history, trained.table(), users, cutoff, trained.spec().history(), excluded, k);
      default:
        return AlsRanker.recommend(trained.als(), users, excluded, k, extra);
    }
  }
}
