package io.rehearsal.transforms.ranking;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * How the two models' top-k scores differ in a segment: the two-sample Kolmogorov–Smirnov distance (Commons
 * Math) and each side's median. The distance needs at least two scores on each side (Commons Math's
 * requirement, and one score is no distribution): otherwise it is null, never an error that aborts the run.
 * The median is the usual one: the middle score, or the mean of the two middle scores of an even count.
 */
public record ScoreShift(Double ks, Double baselineMedian, Double candidateMedian) {

  public static ScoreShift of(double[] baseline, double[] candidate) {
    double[] b = baseline.clone();
    double[] c = candidate.clone();
    Arrays.sort(b);
    Arrays.sort(c);
    Double ks = b.length >= 2 && c.length >= 2 ? new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(b, c) : null;
    return new ScoreShift(ks, median(b), median(c));
  }

  /** The median of sorted values; null when there are none. */
  static Double median(double[] sorted) {
    int n = sorted.length;
    if (n == 0) {
      return null;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
