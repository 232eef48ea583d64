package io.rehearsal.transforms.drift;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.special.Gamma;

/**
 * Drift statistics between a reference and a current distribution, pure and exact on what they are given.
 *
 * <p>Binned statistics (PSI, Jensen–Shannon, L∞, chi-square) take counts over the same bins or categories.
 * Distribution statistics (KS, Wasserstein-1) take equal-mass points: a whole sample, or the quantiles of a
 * sketch (101 quantiles carry 1/101 of the mass each), so the same code serves tests on small samples and
 * the Spark job on sketches. No result is ever infinite or NaN: empty bins are smoothed by {@link #EPSILON}
 * and empty inputs give 0.
 */
public final class DriftStatistics {

  /**
   * Added to every bin's proportion before renormalising, for PSI: p' = (p + ε) / (1 + B·ε). With ε = 1e-4
   * an empty bin against a bin holding 10% contributes about 0.1 · ln(0.1 / 1e-4) ≈ 0.69, large but finite.
   */
  public static final double EPSILON = 1e-4;

  private DriftStatistics() {}

  /** Population stability index Σ (c − r) · ln(c / r) over smoothed proportions. */
  public static double psi(double[] reference, double[] current) {
    requireSameBins(reference, current);
    double[] r = smoothed(reference);
    double[] c = smoothed(current);
    double psi = 0;
    for (int i = 0; i < r.length; i++) {
      psi += (c[i] - r[i]) * Math.log(c[i] / r[i]);
    }
    return psi;
  }

  /** Jensen–Shannon distance (the square root of the divergence, log base 2): 0 identical … 1 disjoint. */
  public static double jensenShannon(double[] reference, double[] current) {
    requireSameBins(reference, current);
    double[] p = proportions(reference);
    double[] q = proportions(current);
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      divergence += term(p[i], m) / 2 + term(q[i], m) / 2;
    }
    return Math.sqrt(Math.max(0, Math.min(1, divergence)));
  }

  /** The largest absolute difference of proportions over the bins or categories. */
  public static double lInfinity(double[] reference, double[] current) {
    requireSameBins(reference, current);
    double[] p = proportions(reference);
    double[] q = proportions(current);
    double max = 0;
    for (int i = 0; i < p.length; i++) {
      max = Math.max(max, Math.abs(p[i] - q[i]));
    }
    return max;
  }

  /** Chi-square test of homogeneity of the 2 × B table (reference and current counts). */
  public static ChiSquare chiSquare(double[] reference, double[] current) {
    requireSameBins(reference, current);
    double nr = sum(reference);
    double nc = sum(current);
    double total = nr + nc;
    double statistic = 0;
    int used = 0;
    for (int i = 0; i < reference.length; i++) {
      double column = reference[i] + current[i];
      if (column == 0) {
        continue;
      }
      used++;
      double er = nr * column / total;
      double ec = nc * column / total;
      statistic += sq(reference[i] - er) / er + sq(current[i] - ec) / ec;
    }
    int df = used - 1;
    if (nr == 0 || nc == 0 || df < 1) {
      return new ChiSquare(0, Math.max(df, 0), 1);
    }
    // The upper tail Q(df/2, χ²/2) directly: 1 − CDF would round tiny p-values to 0.
    return new ChiSquare(statistic, df, Gamma.regularizedGammaQ(df / 2.0, statistic / 2));
  }

  /** Chi-square statistic, degrees of freedom and p-value. */
  public record ChiSquare(double statistic, int degreesOfFreedom, double pValue) {}

  /**
   * Two-sample Kolmogorov–Smirnov statistic sup |F_ref(x) − F_cur(x)| over equal-mass points, ties stepping
   * both CDFs at once. (Commons Math's statistic needs at least two points per sample; a window can hold one.)
   */
  public static double kolmogorovSmirnov(double[] reference, double[] current) {
    if (reference.length == 0 || current.length == 0) {
      return 0;
    }
    double[] a = sorted(reference);
    double[] b = sorted(current);
    int i = 0;
    int j = 0;
    double max = 0;
    while (i < a.length && j < b.length) {
      double x = Math.min(a[i], b[j]);
      while (i < a.length && a[i] == x) {
        i++;
      }
      while (j < b.length && b[j] == x) {
        j++;
      }
      max = Math.max(max, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return max;
  }

  /** Wasserstein-1 (earth mover's) distance ∫ |F_ref(x) − F_cur(x)| dx over equal-mass points. */
  public static double wasserstein1(double[] reference, double[] current) {
    if (reference.length == 0 || current.length == 0) {
      return 0;
    }
    double[] a = sorted(reference);
    double[] b = sorted(current);
    TreeSet<Double> xs = new TreeSet<>();
    for (double x : a) {
      xs.add(x);
    }
    for (double x : b) {
      xs.add(x);
    }
    double distance = 0;
    Double previous = null;
    int i = 0;
    int j = 0;
    double fa = 0;
    double fb = 0;
    for (double x : xs) {
      if (previous != null) {
        distance += Math.abs(fa - fb) * (x - previous);
      }
      while (i < a.length && a[i] <= x) {
        i++;
      }
      while (j < b.length && b[j] <= x) {
        j++;
      }
      fa = (double) i / a.length;
      fb = (double) j / b.length;
      previous = x;
    }
    return distance;
  }

  /**
   * Wasserstein-1 divided by the reference's spread (its standard deviation), so features on different
   * scales compare; a reference without spread leaves the distance as it is.
   */
  public static double normalizedWasserstein1(double[] reference, double[] current, double referenceSpread) {
    double w = wasserstein1(reference, current);
    return referenceSpread > 0 && Double.isFinite(referenceSpread) ? w / referenceSpread : w;
  }

  /**
   * Counts of a numeric sample over bins (−∞, e₁], (e₁, e₂], …, (e_last, ∞): the layout {@link #binEdges}
   * produces. Used by tests and by code that holds values rather than Spark aggregates.
   */
  public static double[] binCounts(double[] values, double[] edges) {
    double[] counts = new double[edges.length + 1];
    for (double v : values) {
      counts[bin(v, edges)]++;
    }
    return counts;
  }

  /** The bin of a value: the number of edges strictly below it. */
  public static int bin(double value, double[] edges) {
    int b = 0;
    while (b < edges.length && value > edges[b]) {
      b++;
    }
    return b;
  }

  /**
   * Bin edges from the reference's quantiles (e.g. the deciles): sorted, repeated values collapsed, so a
   * discrete feature gets one bin per value it takes rather than empty duplicate bins.
   */
  public static double[] binEdges(double[] referenceQuantiles) {
    return Arrays.stream(referenceQuantiles).filter(Double::isFinite).sorted().distinct().toArray();
  }

  /** Categorical counts aligned over the union of categories, sorted by name. */
  public static Aligned align(Map<String, Long> reference, Map<String, Long> current) {
    TreeSet<String> categories = new TreeSet<>(reference.keySet());
    categories.addAll(current.keySet());
    String[] names = categories.toArray(new String[0]);
    double[] r = new double[names.length];
    double[] c = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      r[i] = reference.getOrDefault(names[i], 0L);
      c[i] = current.getOrDefault(names[i], 0L);
    }
    return new Aligned(names, r, c);
  }

  /** Category names with their reference and current counts, index by index. */
  public record Aligned(String[] categories, double[] reference, double[] current) {}

  static double[] proportions(double[] counts) {
    double total = sum(counts);
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = total > 0 ? counts[i] / total : 1.0 / counts.length;
    }
    return p;
  }

  static double[] smoothed(double[] counts) {
    double[] p = proportions(counts);
    double norm = 1 + p.length * EPSILON;
    for (int i = 0; i < p.length; i++) {
      p[i] = (p[i] + EPSILON) / norm;
    }
    return p;
  }

  private static double term(double p, double m) {
    return p > 0 ? p * Math.log(p / m) / Math.log(2) : 0;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  private static double sq(double x) {
    return x * x;
  }

  private static double[] sorted(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  private static void requireSameBins(double[] reference, double[] current) {
    if (reference.length != current.length) {
      throw new IllegalArgumentException("reference has " + reference.length + " bins, current " + current.length);
    }
    if (reference.length == 0) {
      throw new IllegalArgumentException("no bins");
    }
  }
}
