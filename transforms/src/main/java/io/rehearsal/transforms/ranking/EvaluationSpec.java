package io.rehearsal.transforms.ranking;

import io.rehearsal.transforms.OrderedMaps;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evaluation protocol of the manifest's {@code evaluation} section (docs/metrics.md): the temporal
 * split (cutoff, horizon), graded relevance, list cut-offs, the metric dialect, and the parameters of the
 * statistics, interleaving, shadow comparison and user slices.
 */
public record EvaluationSpec(
    List<String> segments,
    LocalDate cutoff,
    int horizonDays,
    List<Integer> ks,
    Map<String, Double> relevance,
    boolean excludePurchased,
    MetricDialect dialect,
    double confidence,
    int resamples,
    long bootstrapSeed,
    int interleavingK,
    long interleavingSeed,
    double rboPersistence,
    int coldUserMaxEvents,
    double headItemsShare,
    int newSkuDays,
    List<String> slices) implements Serializable {

  public static final List<Integer> DEFAULT_KS = List.of(10);
  public static final Map<String, Double> DEFAULT_RELEVANCE = Map.of("purchase", 3.0, "add_to_cart", 2.0, "click", 1.0);
  public static final double DEFAULT_CONFIDENCE = 0.95;
  public static final int DEFAULT_RESAMPLES = 1000;
  public static final double DEFAULT_RBO_PERSISTENCE = 0.9;
  public static final int DEFAULT_COLD_USER_MAX_EVENTS = 2;
  public static final double DEFAULT_HEAD_ITEMS_SHARE = 0.2;
  public static final int DEFAULT_NEW_SKU_DAYS = 30;
  public static final List<String> ALL_SLICES = List.of("new_vs_returning", "cold_vs_warm", "head_vs_tail", "country",
      "device");

  public EvaluationSpec {
    segments = List.copyOf(segments);
    ks = ks.stream().sorted().distinct().toList();
    relevance = OrderedMaps.copyOf(relevance);
    slices = List.copyOf(slices);
  }

  /** How deep each model's lists must be: the largest k, or the interleaving depth if larger. */
  public int depth() {
    return Math.max(ks.get(ks.size() - 1), interleavingK);
  }

  /** The per-user metric names, e.g. ndcg@10, in report order. */
  public List<String> metricNames() {
    List<String> names = new ArrayList<>();
    for (String m : UserEvaluation.METRICS) {
      for (int k : ks) {
        names.add(m + "@" + k);
      }
    }
    return names;
  }
}
