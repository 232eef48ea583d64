package io.rehearsal.transforms.drift;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.Test;

/** Every drift statistic against values worked out by hand (the arithmetic is spelled out in each test). */
public class DriftStatisticsTest {

  private static final double EPS = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  public void ksOnSmallSamples() {
    // F_ref − F_cur: at 2 it is 2/4 − 0, at 4 it is 4/4 − 2/4; never more than 1/2.
    assertEquals(0.5, DriftStatistics.kolmogorovSmirnov(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6}), EPS);
    // Different sizes: at 1 it is 1/3 − 0, at 2.5 it is 2/3 − 1.
    assertEquals(1.0 / 3, DriftStatistics.kolmogorovSmirnov(new double[] {3, 1, 2}, new double[] {2.5, 1.5}), EPS);
    // Ties step both CDFs at once: at 1 it is 2/3 − 1/3, at 2 both are 1.
    assertEquals(1.0 / 3, DriftStatistics.kolmogorovSmirnov(new double[] {1, 1, 2}, new double[] {1, 2, 2}), EPS);
    assertEquals(0, DriftStatistics.kolmogorovSmirnov(new double[] {4, 2, 9}, new double[] {9, 4, 2}), 0);
    assertEquals(1, DriftStatistics.kolmogorovSmirnov(new double[] {1, 2}, new double[] {3}), 0);
    assertEquals(0, DriftStatistics.kolmogorovSmirnov(new double[0], new double[] {3}), 0);
  }

  @Test
  public void psiSmoothsEmptyBinsAndStaysFinite() {
    // Reference [50, 50, 0], current [25, 25, 50]; B = 3 bins, ε = 1e-4, proportions (p + ε) / (1 + 3ε).
    double n = 1 + 3e-4;
    double r0 = (0.5 + 1e-4) / n;
    double r2 = 1e-4 / n;
    double c0 = (0.25 + 1e-4) / n;
    double c2 = (0.5 + 1e-4) / n;
    double expected = 2 * (c0 - r0) * Math.log(c0 / r0) + (c2 - r2) * Math.log(c2 / r2);
    double psi = DriftStatistics.psi(new double[] {50, 50, 0}, new double[] {25, 25, 50});
    assertEquals(expected, psi, EPS);
    assertEquals(4.603789069259316, psi, 1e-9);
    assertEquals(0, DriftStatistics.psi(new double[] {10, 30}, new double[] {20, 60}), EPS);
    // An empty current window is uniform by convention, never NaN.
    assertEquals(0, DriftStatistics.psi(new double[] {5, 5}, new double[] {0, 0}), EPS);
  }

  @Test
  public void categoriesThatAppearOrVanishAreKeptByName() {
    DriftStatistics.Aligned a = DriftStatistics.align(Map.of("a", 60L, "b", 40L), Map.of("a", 50L, "c", 50L));
    assertArrayEquals(new String[] {"a", "b", "c"}, a.categories());
    assertArrayEquals(new double[] {60, 40, 0}, a.reference(), 0);
    assertArrayEquals(new double[] {50, 0, 50}, a.current(), 0);
    // L∞: |0.6 − 0.5|, |0.4 − 0|, |0 − 0.5| → 0.5.
    assertEquals(0.5, DriftStatistics.lInfinity(a.reference(), a.current()), EPS);
    // JS with m = (0.55, 0.2, 0.25).
    double divergence = 0.5 * (0.6 * log2(0.6 / 0.55) + 0.4 * log2(0.4 / 0.2))
        + 0.5 * (0.5 * log2(0.5 / 0.55) + 0.5 * log2(0.5 / 0.25));
    assertEquals(Math.sqrt(divergence), DriftStatistics.jensenShannon(a.reference(), a.current()), EPS);
    assertEquals(0.6732632350631319, DriftStatistics.jensenShannon(a.reference(), a.current()), 1e-12);
    assertEquals(1, DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1}), EPS);
    // Chi-square: expected counts 55/55, 20/20, 25/25 → 2·25/55 + 2·400/20 + 2·625/25; df 2, p = e^(−χ²/2).
    DriftStatistics.ChiSquare chi = DriftStatistics.chiSquare(a.reference(), a.current());
    assertEquals(50.0 / 55 + 40 + 50, chi.statistic(), 1e-9);
    assertEquals(2, chi.degreesOfFreedom());
    assertEquals(Math.exp(-chi.statistic() / 2), chi.pValue(), 1e-25);
  }

  @Test
  public void wassersteinOnKnownDistributions() {
    double[] uniform = IntStream.range(0, 1000).mapToDouble(i -> i).toArray();
    double[] shifted = IntStream.range(0, 1000).mapToDouble(i -> i + 300).toArray();
    // A shift moves every unit of mass by 300; 300 of the 1000 points lie below the shifted sample.
    assertEquals(300, DriftStatistics.wasserstein1(uniform, shifted), 1e-9);
    assertEquals(0.3, DriftStatistics.kolmogorovSmirnov(uniform, shifted), 1e-12);
    // Normalised by the reference's standard deviation (288.8194… for 0..999).
    assertEquals(300 / 288.8194360957494, DriftStatistics.normalizedWasserstein1(uniform, shifted, 288.8194360957494),
        1e-9);
    // Two-point masses: F differs by 1/2 − 1/4 on [0, 1).
    assertEquals(0.25, DriftStatistics.wasserstein1(new double[] {0, 0, 1, 1}, new double[] {0, 1, 1, 1}), EPS);
    // Scaling by 2 around 0 of {−1, 1}: each half moves by 1.
    assertEquals(1, DriftStatistics.wasserstein1(new double[] {-1, 1}, new double[] {-2, 2}), EPS);
    assertEquals(0.25, DriftStatistics.normalizedWasserstein1(new double[] {0, 0, 1, 1}, new double[] {0, 1, 1, 1}, 0),
        EPS);
  }

  @Test
  public void binsComeFromReferenceQuantilesWithRepeatsCollapsed() {
    double[] edges = DriftStatistics.binEdges(new double[] {3, 1, 1, 2, Double.NaN});
    assertArrayEquals(new double[] {1, 2, 3}, edges, 0);
    // (−∞, 1], (1, 2], (2, 3], (3, ∞)
    assertArrayEquals(new double[] {2, 1, 0, 2}, DriftStatistics.binCounts(new double[] {0, 1, 1.5, 4, 9}, edges), 0);
  }
}
