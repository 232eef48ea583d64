package io.rehearsal.transforms.ranking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shadow comparison of two top-k lists of one user: how much they agree, without any ground truth. */
public final class ListComparison {

  private ListComparison() {}

  private static List<String> top(List<String> list, int k) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String item : list) {
      if (out.size() == k) {
        break;
      }
      if (seen.add(item)) {
        out.add(item);
      }
    }
    return out;
  }

  /** |A_k ∩ B_k| / k. */
  public static double overlap(List<String> a, List<String> b, int k) {
    Set<String> shared = new HashSet<>(top(a, k));
    shared.retainAll(new HashSet<>(top(b, k)));
    return (double) shared.size() / k;
  }

  /** |A_k ∩ B_k| / |A_k ∪ B_k|; 1 for two empty lists. */
  public static double jaccard(List<String> a, List<String> b, int k) {
    Set<String> union = new HashSet<>(top(a, k));
    union.addAll(top(b, k));
    if (union.isEmpty()) {
      return 1;
    }
    Set<String> shared = new HashSet<>(top(a, k));
    shared.retainAll(new HashSet<>(top(b, k)));
    return (double) shared.size() / union.size();
  }

  /**
   * Extrapolated rank-biased overlap at depth k with persistence p (Webber, Moffat and Zobel, 2010, eq.
   * 32): (X_k / k)·p^k + (1 − p)/p · Σ_{d=1..k} (X_d / d)·p^d, with X_d the overlap of the depth-d
   * prefixes. 1 for identical lists, 0 for disjoint ones.
   */
  public static double rankBiasedOverlap(List<String> a, List<String> b, int k, double p) {
    List<String> ta = top(a, k);
    List<String> tb = top(b, k);
    int depth = Math.min(k, Math.max(ta.size(), tb.size()));
    if (depth == 0) {
      return 1;
    }
    Set<String> seenA = new HashSet<>();
    Set<String> seenB = new HashSet<>();
    int overlap = 0;
    double sum = 0;
    for (int d = 1; d <= depth; d++) {
      String x = d <= ta.size() ? ta.get(d - 1) : null;
      String y = d <= tb.size() ? tb.get(d - 1) : null;
      if (x != null && y != null && x.equals(y)) {
        overlap++;
      } else {
        if (x != null && seenB.contains(x)) {
          overlap++;
        }
        if (y != null && seenA.contains(y)) {
          overlap++;
        }
      }
      if (x != null) {
        seenA.add(x);
      }
      if (y != null) {
        seenB.add(y);
      }
      sum += (double) overlap / d * Math.pow(p, d);
    }
    return (double) overlap / depth * Math.pow(p, depth) + (1 - p) / p * sum;
  }

  /**
   * Kendall's tau between the two lists' orders of their shared top-k items: (concordant − discordant)
   * pairs / all pairs; null with fewer than two shared items.
   */
  public static Double kendallTauOnShared(List<String> a, List<String> b, int k) {
    List<String> ta = top(a, k);
    Map<String, Integer> rankB = new HashMap<>();
    List<String> tb = top(b, k);
    for (int i = 0; i < tb.size(); i++) {
      rankB.put(tb.get(i), i);
    }
    List<Integer> order = new ArrayList<>();
    for (String item : ta) {
      if (rankB.containsKey(item)) {
        order.add(rankB.get(item));
      }
    }
    int n = order.size();
    if (n < 2) {
      return null;
    }
    long concordant = 0;
    long discordant = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (order.get(i) < order.get(j)) {
          concordant++;
        } else {
          discordant++;
        }
      }
    }
    return (double) (concordant - discordant) / (n * (n - 1) / 2.0);
  }
}
