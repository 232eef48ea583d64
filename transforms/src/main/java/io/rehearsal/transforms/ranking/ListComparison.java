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

  /** |A_k ∩ B_k| / k; null when both lists are empty (nothing to compare: see {@link #comparable}). */
  public static Double overlap(List<String> a, List<String> b, int k) {
    if (!comparable(a, b, k)) {
      return null;
    }
    Set<String> shared = new HashSet<>(top(a, k));
    shared.retainAll(new HashSet<>(top(b, k)));
    return (double) shared.size() / k;
  }

  /** |A_k ∩ B_k| / |A_k ∪ B_k|; null when both lists are empty. */
  public static Double jaccard(List<String> a, List<String> b, int k) {
    if (!comparable(a, b, k)) {
      return null;
    }
    Set<String> union = new HashSet<>(top(a, k));
    union.addAll(top(b, k));
    Set<String> shared = new HashSet<>(top(a, k));
    shared.retainAll(new HashSet<>(top(b, k)));
    return (double) shared.size() / union.size();
  }

  /**
   * Whether two lists can be compared at all: two empty lists (a user neither model served) agree in no
   * measurable way, so their overlap, Jaccard and RBO are null and left out of the segment's means rather
   * than averaged in as 0 or 1.
   */
  public static boolean comparable(List<String> a, List<String> b, int k) {
    return !top(a, k).isEmpty() || !top(b, k).isEmpty();
  }

  /**
   * Extrapolated rank-biased overlap of the top-k lists with persistence p (Webber, Moffat and Zobel, 2010),
   * for lists of lengths s ≤ l (equation 32 for uneven lists, which is equation 30's form when s = l):
   * (1 − p)/p · (Σ_{d=1..l} (X_d / d)·p^d + Σ_{d=s+1..l} X_s·(d − s)/(s·d)·p^d) + ((X_l − X_s)/l + X_s/s)·p^l,
   * X_d the overlap at depth d (the shorter list whole beyond its end). 1 for identical lists and for a list
   * that is a prefix of the other (A = abc, B = abcde: 1.0), 0 for disjoint ones; null when both are empty.
   */
  public static Double rankBiasedOverlap(List<String> a, List<String> b, int k, double p) {
    List<String> ta = top(a, k);
    List<String> tb = top(b, k);
    int s = Math.min(ta.size(), tb.size());
    int l = Math.max(ta.size(), tb.size());
    if (l == 0) {
      return null;
    }
    if (s == 0) {
      return 0.0;
    }
    Set<String> seenA = new HashSet<>();
    Set<String> seenB = new HashSet<>();
    int overlap = 0;
    int overlapAtS = 0;
    double sum = 0;
    for (int d = 1; d <= l; d++) {
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
      if (d == s) {
        overlapAtS = overlap;
      }
      sum += (double) overlap / d * Math.pow(p, d);
      if (d > s) {
        sum += (double) overlapAtS * (d - s) / ((double) s * d) * Math.pow(p, d);
      }
    }
    return (1 - p) / p * sum + ((double) (overlap - overlapAtS) / l + (double) overlapAtS / s) * Math.pow(p, l);
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
