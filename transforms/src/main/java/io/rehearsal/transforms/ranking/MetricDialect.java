package io.rehearsal.transforms.ranking;

import java.io.Serializable;

/**
 * The choices ranking metrics disagree on (docs/metrics.md). {@link #DEFAULT} is what Rehearsal reports
 * unless the manifest selects otherwise.
 *
 * <ul>
 *   <li>{@code gain}: how a graded relevance r becomes a DCG gain — BINARY (1 if r &gt; 0), LINEAR (r) or
 *       EXPONENTIAL (2^r − 1, the default: a purchase counts much more than a click).
 *   <li>{@code idcg}: the ideal DCG over the best min(k, |rel|) items (TRUNCATED, default) or over all
 *       |rel| relevant items (ALL_RELEVANT, which caps NDCG below 1 when |rel| &gt; k).
 *   <li>{@code mapDivisor}: average precision divided by min(k, |rel|) (MIN_K_REL, default) or |rel|.
 *   <li>{@code usersWithoutTruth}: users with no held-out interaction are EXCLUDED (default) from the
 *       averages, or count as ZERO.
 * </ul>
 * Ties between equal scores are broken by item id ascending when scores become ranks, so lists are
 * deterministic; metrics read lists in rank order.
 */
public record MetricDialect(Gain gain, Idcg idcg, MapDivisor mapDivisor, UsersWithoutTruth usersWithoutTruth)
    implements Serializable {

  public enum Gain { BINARY, LINEAR, EXPONENTIAL }

  public enum Idcg { TRUNCATED, ALL_RELEVANT }

  public enum MapDivisor { MIN_K_REL, REL }

  public enum UsersWithoutTruth { EXCLUDED, ZERO }

  public static final MetricDialect DEFAULT = new MetricDialect(Gain.EXPONENTIAL, Idcg.TRUNCATED,
      MapDivisor.MIN_K_REL, UsersWithoutTruth.EXCLUDED);

  /** The dialect of Spark MLlib's RankingMetrics (binary relevance): used to test agreement with it. */
  public static final MetricDialect MLLIB = new MetricDialect(Gain.BINARY, Idcg.TRUNCATED, MapDivisor.MIN_K_REL,
      UsersWithoutTruth.ZERO);

  double gainOf(double relevance) {
    if (relevance <= 0) {
      return 0;
    }
    switch (gain) {
      case BINARY:
        return 1;
      case LINEAR:
        return relevance;
      default:
        return Math.pow(2, relevance) - 1;
    }
  }
}
