package io.rehearsal.transforms.ranking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranking metrics of one user's list against their held-out relevance, in plain Java (applied per user
 * by the evaluation job; tested against hand-computed values). {@code ranked} is the list in rank order
 * (duplicates after the first occurrence are ignored); {@code relevance} maps each held-out item to its
 * graded relevance (&gt; 0). All metrics are @k over the first k items.
 */
public final class UserMetrics {

  private UserMetrics() {}

  private static List<String> topK(List<String> ranked, int k) {
    List<String> top = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String item : ranked) {
      if (top.size() == k) {
        break;
      }
      if (item != null && seen.add(item)) {
        top.add(item);
      }
    }
    return top;
  }

  private static int relevantCount(Map<String, Double> relevance) {
    int n = 0;
    for (double r : relevance.values()) {
      n += r > 0 ? 1 : 0;
    }
    return n;
  }

  private static boolean relevant(Map<String, Double> relevance, String item) {
    Double r = relevance.get(item);
    return r != null && r > 0;
  }

  /** Relevant items in the top k / k (the list counts as k long even when shorter). */
  public static double precision(List<String> ranked, Map<String, Double> relevance, int k) {
    long hits = topK(ranked, k).stream().filter(i -> relevant(relevance, i)).count();
    return (double) hits / k;
  }

  /** Relevant items in the top k / all relevant items; 0 without relevant items. */
  public static double recall(List<String> ranked, Map<String, Double> relevance, int k) {
    int total = relevantCount(relevance);
    if (total == 0) {
      return 0;
    }
    long hits = topK(ranked, k).stream().filter(i -> relevant(relevance, i)).count();
    return (double) hits / total;
  }

  /** 1 if any relevant item is in the top k. */
  public static double hitRate(List<String> ranked, Map<String, Double> relevance, int k) {
    return topK(ranked, k).stream().anyMatch(i -> relevant(relevance, i)) ? 1 : 0;
  }

  /** 1 / rank of the first relevant item in the top k; 0 if none. */
  public static double reciprocalRank(List<String> ranked, Map<String, Double> relevance, int k) {
    List<String> top = topK(ranked, k);
    for (int i = 0; i < top.size(); i++) {
      if (relevant(relevance, top.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** Sum of precision@i at each relevant position i ≤ k, over the dialect's divisor. */
  public static double averagePrecision(List<String> ranked, Map<String, Double> relevance, int k,
      MetricDialect dialect) {
    int total = relevantCount(relevance);
    if (total == 0) {
      return 0;
    }
    List<String> top = topK(ranked, k);
    double sum = 0;
    int hits = 0;
    for (int i = 0; i < top.size(); i++) {
      if (relevant(relevance, top.get(i))) {
        hits++;
        sum += (double) hits / (i + 1);
      }
    }
    int divisor = dialect.mapDivisor() == MetricDialect.MapDivisor.REL ? total : Math.min(k, total);
    return sum / divisor;
  }

  /** DCG of the top k (gain / log2(rank + 1)) over the ideal DCG of the dialect; 0 without relevant items. */
  public static double ndcg(List<String> ranked, Map<String, Double> relevance, int k, MetricDialect dialect) {
    return weightedNdcg(ranked, relevance, null, k, dialect);
  }

  /**
   * NDCG where an item's gain is multiplied by its weight (e.g. its price or margin: a hit on an expensive
   * item counts more); the ideal DCG orders the relevant items by weighted gain. Items without a weight
   * weigh 0; null weights mean 1 for every item (plain NDCG). 0 when no relevant item has a positive weight.
   */
  public static double weightedNdcg(List<String> ranked, Map<String, Double> relevance, Map<String, Double> weight,
      int k, MetricDialect dialect) {
    List<Double> ideal = new ArrayList<>();
    for (Map.Entry<String, Double> e : relevance.entrySet()) {
      double g = e.getValue() > 0 ? dialect.gainOf(e.getValue()) * weightOf(weight, e.getKey()) : 0;
      if (g > 0) {
        ideal.add(g);
      }
    }
    if (ideal.isEmpty()) {
      return 0;
    }
    ideal.sort((a, b) -> Double.compare(b, a));
    int idealLength = dialect.idcg() == MetricDialect.Idcg.ALL_RELEVANT ? ideal.size() : Math.min(k, ideal.size());
    double idcg = 0;
    for (int i = 0; i < idealLength; i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    List<String> top = topK(ranked, k);
    double dcg = 0;
    for (int i = 0; i < top.size(); i++) {
      Double r = relevance.get(top.get(i));
      dcg += r == null ? 0 : dialect.gainOf(r) * weightOf(weight, top.get(i)) / log2(i + 2);
    }
    return dcg / idcg;
  }

  private static double weightOf(Map<String, Double> weight, String item) {
    if (weight == null) {
      return 1;
    }
    Double w = weight.get(item);
    return w == null || !(w > 0) ? 0 : w;
  }

  /** Sum of {@code value} (e.g. purchased revenue) over the top-k items that have one. */
  public static double valueAt(List<String> ranked, Map<String, Double> value, int k) {
    double sum = 0;
    for (String item : topK(ranked, k)) {
      Double v = value.get(item);
      sum += v == null ? 0 : v;
    }
    return sum;
  }

  /** Mean self-information −log2(p) of the top-k items, p = an item's share of interactions; unseen items use {@code floor}. */
  public static double novelty(List<String> ranked, Map<String, Double> popularityShare, int k, double floor) {
    List<String> top = topK(ranked, k);
    if (top.isEmpty()) {
      return 0;
    }
    double sum = 0;
    for (String item : top) {
      double p = popularityShare.getOrDefault(item, floor);
      sum += -log2(Math.max(p, floor));
    }
    return sum / top.size();
  }

  /** Share of the top-k items that belong to {@code subset} (e.g. new SKUs); 0 for an empty list. */
  public static double shareOf(List<String> ranked, Set<String> subset, int k) {
    List<String> top = topK(ranked, k);
    if (top.isEmpty()) {
      return 0;
    }
    return (double) top.stream().filter(subset::contains).count() / top.size();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
