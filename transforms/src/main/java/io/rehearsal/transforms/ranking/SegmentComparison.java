package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Interleaving and shadow comparison of the two models' lists in one segment. Interleaving counts the
 * evaluated users whose held-out interactions favour the candidate's picks (wins), the baseline's
 * (losses) or neither (ties); the preference is wins / (wins + losses) and the sign test's two-sided
 * p-value is binomial(wins + losses, ½). Shadow statistics average over scored users; the score shift is
 * the Kolmogorov–Smirnov distance between the two models' top-k score distributions (meaningful when the
 * models score on the same scale).
 */
public record SegmentComparison(String segment, int depth, long wins, long losses, long ties, Double preference,
    double signTestP, long users, Double overlap, Double jaccard, Double rbo, Double kendallTau, Double scoreKs,
    Double baselineScoreMedian, Double candidateScoreMedian) {

  /**
   * The comparison of one segment from its per-user rows ({@code interleaving} CANDIDATE, BASELINE or TIE, and the
   * shadow columns overlap, jaccard, rbo and kendall_tau) and both models' lists (model, rank, score), the scores
   * of the first {@code depth} ranks.
   */
  public static SegmentComparison of(String segment, Dataset<Row> users, Dataset<Row> lists, int depth) {
    Row shadow = users.agg(count(lit(1)), avg("overlap"), avg("jaccard"), avg("rbo"), avg("kendall_tau"),
        sum(when(col("interleaving").equalTo("CANDIDATE"), 1).otherwise(0)),
        sum(when(col("interleaving").equalTo("BASELINE"), 1).otherwise(0)),
        sum(when(col("interleaving").equalTo("TIE"), 1).otherwise(0))).first();
    long wins = shadow.isNullAt(5) ? 0 : shadow.getLong(5);
    long losses = shadow.isNullAt(6) ? 0 : shadow.getLong(6);
    long ties = shadow.isNullAt(7) ? 0 : shadow.getLong(7);
    long decided = wins + losses;
    double signP = 1.0;
    if (decided > 0) {
      BinomialDistribution b = new BinomialDistribution(null, (int) decided, 0.5);
      long extreme = Math.min(wins, losses);
      signP = Math.min(1.0, 2 * b.cumulativeProbability((int) extreme));
    }
    List<Row> scores = lists.where(col("rank").leq(depth).and(col("score").isNotNull()))
        .select("model", "score").collectAsList();
    double[] b = scores.stream().filter(r -> r.getString(0).equals(UserEvaluation.BASELINE))
        .mapToDouble(r -> r.getDouble(1)).toArray();
    double[] c = scores.stream().filter(r -> r.getString(0).equals(UserEvaluation.CANDIDATE))
        .mapToDouble(r -> r.getDouble(1)).toArray();
    ScoreShift shift = ScoreShift.of(b, c);
    return new SegmentComparison(segment, depth, wins, losses, ties, decided == 0 ? null : (double) wins / decided,
        signP, shadow.getLong(0), nullable(shadow, 1), nullable(shadow, 2), nullable(shadow, 3), nullable(shadow, 4),
        shift.ks(), shift.baselineMedian(), shift.candidateMedian());
  }

  private static Double nullable(Row row, int i) {
    return row.isNullAt(i) ? null : row.getDouble(i);
  }
}
