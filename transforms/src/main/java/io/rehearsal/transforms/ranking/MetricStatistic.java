package io.rehearsal.transforms.ranking;

import io.rehearsal.transforms.stats.PairedComparison;

/**
 * The paired comparison of one metric over a group of users: a segment ({@code slice} "all"), a slice of
 * a segment (e.g. {@code country = DE}), or all evaluated users of every segment pooled
 * ({@code segment} {@value #POOLED}). Slice p-values are adjusted (Holm) within their segment × metric.
 */
public record MetricStatistic(String segment, String slice, String sliceValue, String metric,
    PairedComparison comparison, Double adjustedP) {

  public static final String POOLED = "(all segments)";
  public static final String ALL = "all";
}
