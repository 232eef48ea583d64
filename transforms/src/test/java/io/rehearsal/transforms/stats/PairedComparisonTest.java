package io.rehearsal.transforms.stats;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Assert;
import org.junit.Test;

/** Paired statistics and multiple-testing corrections against hand-computed values; an A/A simulation. */
public class PairedComparisonTest {

  @Test
  public void tIntervalAndLiftByHand() {
    // Differences 1, 2, 3, 4: mean 2.5, sd √(5/3), se √(5/3)/2; t(0.975, 3 df) = 3.182446305284263.
    PairedComparison c = PairedComparison.of(new double[] {10, 10, 10, 10}, new double[] {11, 12, 13, 14}, 1.0, 0.95,
        7L, 2000);
    double se = Math.sqrt(5.0 / 3) / 2;
    assertEquals(4, c.n());
    assertEquals(2.5, c.meanDifference(), 1e-12);
    assertEquals(0.25, c.relativeLift(), 1e-12);
    assertEquals(se, c.standardError(), 1e-12);
    assertEquals(2.5 - 3.182446305284263 * se, c.tLow(), 1e-9);
    assertEquals(2.5 + 3.182446305284263 * se, c.tHigh(), 1e-9);
    Assert.assertTrue(c.nonInferiorityPValue() < 0.01);
    assertEquals(1.0, c.nonInferiorityPValue() + c.harmPValue(), 1e-12);
    Assert.assertTrue(c.bootstrapLow() >= 1.0 && c.bootstrapHigh() <= 4.0 && c.bootstrapLow() < c.bootstrapHigh());
  }

  @Test
  public void identicalListsGiveZeroDeltasAndNoHarm() {
    double[] same = {0.2, 0.0, 1.0, 0.5};
    PairedComparison c = PairedComparison.of(same, same.clone(), 0.01, 0.95, 1L, 500);
    assertEquals(0.0, c.meanDifference(), 0);
    assertEquals(0.0, c.tLow(), 0);
    assertEquals(0.0, c.bootstrapHigh(), 0);
    assertEquals(1.0, c.harmPValue(), 0);
    assertEquals(0.0, c.nonInferiorityPValue(), 0);
  }

  @Test
  public void bootstrapIsReproducibleFromItsSeed() {
    Random r = new Random(3);
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextDouble();
      b[i] = a[i] + r.nextGaussian() * 0.1;
    }
    PairedComparison one = PairedComparison.of(a, b, 0.0, 0.9, 42L, 1000);
    PairedComparison two = PairedComparison.of(a, b, 0.0, 0.9, 42L, 1000);
    PairedComparison other = PairedComparison.of(a, b, 0.0, 0.9, 43L, 1000);
    assertEquals(one.bootstrapLow(), two.bootstrapLow(), 0);
    assertEquals(one.bootstrapHigh(), two.bootstrapHigh(), 0);
    Assert.assertNotEquals(one.bootstrapLow(), other.bootstrapLow(), 0);
    // Bootstrap and t intervals agree closely for 200 roughly normal differences.
    assertEquals(one.tLow(), one.bootstrapLow(), 0.005);
  }

  @Test
  public void anAaComparisonFailsForHarmAtRateAlpha() {
    // 2,000 A/A experiments of 300 users: candidate and baseline metric drawn from the same distribution.
    Random r = new Random(11);
    int experiments = 2000;
    int harmful = 0;
    for (int e = 0; e < experiments; e++) {
      double[] a = new double[300];
      double[] b = new double[300];
      for (int i = 0; i < a.length; i++) {
        a[i] = r.nextDouble() < 0.3 ? 1 : 0;
        b[i] = r.nextDouble() < 0.3 ? 1 : 0;
      }
      if (PairedComparison.of(a, b, 0.0, 0.9, e, 0).harmPValue() < 0.05) {
        harmful++;
      }
    }
    double rate = (double) harmful / experiments;
    // Binomial sd at 5% over 2,000 runs is 0.49 points: 3.5% … 6.5% is ±3 sd.
    Assert.assertTrue("false-failure rate " + rate, rate > 0.035 && rate < 0.065);
  }

  @Test
  public void requiredSampleSizeByHand() {
    // z(0.95) = 1.6448536, z(0.8) = 0.8416212: ((1.6448536 + 0.8416212) × 1 / 0.1)² = 618.3 → 619.
    assertEquals(619, PairedComparison.requiredSampleSize(1.0, 0.1, 0.05, 0.8));
  }

  @Test
  public void holmAndBenjaminiHochbergByHand() {
    double[] p = {0.01, 0.04, 0.03, 0.005};
    assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, MultipleTesting.adjust(p, MultipleTesting.Method.HOLM), 1e-12);
    assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02},
        MultipleTesting.adjust(p, MultipleTesting.Method.BENJAMINI_HOCHBERG), 1e-12);
    double[] withNaN = MultipleTesting.adjust(new double[] {0.01, Double.NaN, 0.02}, MultipleTesting.Method.HOLM);
    assertEquals(0.02, withNaN[0], 1e-12);
    Assert.assertTrue(Double.isNaN(withNaN[1]));
    assertEquals(0.02, withNaN[2], 1e-12);
  }
}
