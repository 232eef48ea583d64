package io.rehearsal.transforms.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Adjusted p-values across a family of tests (segments × metrics): Holm's step-down (controls the
 * family-wise error rate; the default) and Benjamini–Hochberg (controls the false discovery rate).
 * Reject a hypothesis when its adjusted p-value is below alpha. NaN p-values stay NaN and do not count
 * towards the family size.
 */
public final class MultipleTesting {

  public enum Method { HOLM, BENJAMINI_HOCHBERG, NONE }

  private MultipleTesting() {}

  public static double[] adjust(double[] p, Method method) {
    Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> p[i]).thenComparingInt(i -> i)).toArray(Integer[]::new);
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    int m = order.length;
    switch (method) {
      case NONE:
        for (Integer i : order) {
          adjusted[i] = p[i];
        }
        break;
      case HOLM: {
        double running = 0;
        for (int r = 0; r < m; r++) {
          running = Math.max(running, Math.min(1, (m - r) * p[order[r]]));
          adjusted[order[r]] = running;
        }
        break;
      }
      default: {
        double running = 1;
        for (int r = m - 1; r >= 0; r--) {
          running = Math.min(running, Math.min(1, (double) m / (r + 1) * p[order[r]]));
          adjusted[order[r]] = running;
        }
      }
    }
    return adjusted;
  }
}
