package io.rehearsal.transforms.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Paired per-user comparison of a candidate with a baseline on one metric (docs/metrics.md): the mean
 * difference (candidate − baseline), relative lift, a two-sided t-interval and a paired percentile
 * bootstrap interval (resampling users with a recorded seed) at the same confidence, and the one-sided
 * non-inferiority p-value against a margin: H0 "the candidate is worse by at least the margin"
 * (mean difference ≤ −margin) vs H1 "it is not"; and the harm p-value, the mirror test: H0 "the candidate
 * is not worse by more than the margin" (difference ≥ −margin) vs H1 "it is" — a gate FAILs on
 * evidence of harm, so an A/A comparison fails at rate alpha.
 *
 * <p>Distributions come from Apache Commons Math (shipped with Spark).
 */
public record PairedComparison(
    long n,
    double baselineMean,
    double candidateMean,
    double meanDifference,
    Double relativeLift,
    double standardError,
    double tLow,
    double tHigh,
    double bootstrapLow,
    double bootstrapHigh,
    double nonInferiorityPValue,
    double harmPValue,
    double margin,
    double confidence,
    long seed,
    int resamples) {

  /**
   * @param margin the absolute non-inferiority margin (≥ 0) on the metric's scale
   * @param confidence two-sided confidence of the intervals, e.g. 0.95
   */
  public static PairedComparison of(double[] baseline, double[] candidate, double margin, double confidence, long seed,
      int resamples) {
    if (baseline.length != candidate.length) {
      throw new IllegalArgumentException("paired samples must have the same length, got " + baseline.length + " and "
          + candidate.length);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("margin must be >= 0, got " + margin);
    }
    int n = baseline.length;
    double[] diff = new double[n];
    double sumB = 0;
    double sumC = 0;
    for (int i = 0; i < n; i++) {
      diff[i] = candidate[i] - baseline[i];
      sumB += baseline[i];
      sumC += candidate[i];
    }
    double meanB = n == 0 ? Double.NaN : sumB / n;
    double meanC = n == 0 ? Double.NaN : sumC / n;
    double meanD = n == 0 ? Double.NaN : mean(diff);
    double se = n < 2 ? Double.NaN : Math.sqrt(variance(diff, meanD) / n);
    double tLow = Double.NaN;
    double tHigh = Double.NaN;
    double p = Double.NaN;
    double harm = Double.NaN;
    if (n >= 2) {
      if (se == 0) {
        tLow = meanD;
        tHigh = meanD;
        p = meanD > -margin ? 0.0 : 1.0;
        harm = meanD < -margin ? 0.0 : 1.0;
      } else {
        // No random generator: none is sampled, and building one per comparison was a tenth of the gates' CPU.
        TDistribution t = new TDistribution(null, n - 1);
        double q = tQuantile(n - 1, 1 - (1 - confidence) / 2);
        tLow = meanD - q * se;
        tHigh = meanD + q * se;
        harm = t.cumulativeProbability((meanD + margin) / se);
        p = 1 - harm;
      }
    }
    double[] boot = bootstrap(diff, seed, resamples, confidence);
    Double lift = n == 0 || meanB == 0 ? null : meanD / Math.abs(meanB);
    return new PairedComparison(n, meanB, meanC, meanD, lift, se, tLow, tHigh, boot[0], boot[1], p, harm, margin,
        confidence, seed, resamples);
  }

  private record QuantileKey(long degreesOfFreedom, double probability) {}

  private static final java.util.Map<QuantileKey, Double> T_QUANTILES = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The p-quantile of Student's t with the given degrees of freedom. Remembered: the inverse is an iterative search,
   * and a run (or a simulation of many experiments) asks for the same few (users − 1, level) pairs again and again.
   */
  static double tQuantile(long degreesOfFreedom, double probability) {
    if (T_QUANTILES.size() > 10_000) {
      T_QUANTILES.clear();
    }
    return T_QUANTILES.computeIfAbsent(new QuantileKey(degreesOfFreedom, probability),
        k -> new TDistribution(null, k.degreesOfFreedom()).inverseCumulativeProbability(k.probability()));
  }

  /**
   * Users needed to detect a true difference of {@code effect} with the given one-sided alpha and power,
   * for paired differences with standard deviation {@code sd}: ((z₁₋α + z_power) · sd / effect)².
   */
  public static long requiredSampleSize(double sd, double effect, double alpha, double power) {
    if (!(effect > 0)) {
      throw new IllegalArgumentException("minimum detectable effect must be > 0, got " + effect);
    }
    NormalDistribution z = new NormalDistribution(null, 0, 1);
    double k = (z.inverseCumulativeProbability(1 - alpha) + z.inverseCumulativeProbability(power)) * sd / effect;
    return (long) Math.ceil(k * k);
  }

  /** Two-sided p-value of the paired t-test of "no difference" (NaN for fewer than two users). */
  public double pValue() {
    if (n < 2) {
      return Double.NaN;
    }
    if (standardError == 0) {
      return meanDifference == 0 ? 1.0 : 0.0;
    }
    double t = Math.abs(meanDifference) / standardError;
    return 2 * (1 - new TDistribution(null, n - 1).cumulativeProbability(t));
  }

  /** Standard deviation of the paired differences (0 for fewer than two users). */
  public double differenceSd() {
    return Double.isNaN(standardError) ? 0 : standardError * Math.sqrt(n);
  }

  private static double[] bootstrap(double[] diff, long seed, int resamples, double confidence) {
    int n = diff.length;
    if (n == 0 || resamples <= 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += diff[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    Arrays.sort(means);
    double tail = (1 - confidence) / 2;
    return new double[] {quantile(means, tail), quantile(means, 1 - tail)};
  }

  /** Linear interpolation between order statistics (type 7, as R's default and numpy's). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double variance(double[] values, double mean) {
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return sum / (values.length - 1);
  }
}
