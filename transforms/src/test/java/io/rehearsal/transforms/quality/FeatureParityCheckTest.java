package io.rehearsal.transforms.quality;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Parity decisions on hand-made profiles: declared bounds, the sampling-noise allowance, undefined sides. No Spark. */
public class FeatureParityCheckTest {

  private static ColumnProfile profile(String column, long entities, double mean, double sd, double p50,
      double p50Low, double p50High) {
    return new ColumnProfile(column, 100, 10, entities, mean, sd, p50, 9.0, p50Low, p50High, 8.0, 10.0);
  }

  @Test
  public void aDifferenceBeyondTheDeclaredBoundPassesOnlyWithinTheSamplingNoise() {
    Bound tenPercent = new Bound(0.10, 0);
    ParityCheck strict = FeatureParity.check("revenue_7d", Statistic.MEAN, 12.0, 10.0, tenPercent, 0);
    assertEquals(CheckStatus.FAIL, strict.status());
    assertEquals("revenue_7d mean: testbed 12, baseline 10, difference 2 exceeds tolerance ±10.0% (allowed 1)",
        strict.message());
    ParityCheck noisy = FeatureParity.check("revenue_7d", Statistic.MEAN, 12.0, 10.0, tenPercent, 2.5);
    assertEquals(CheckStatus.PASS, noisy.status());
    assertEquals(2.5, noisy.allowed(), 0);
    assertEquals("revenue_7d mean: testbed 12, baseline 10, difference 2 within tolerance ±10.0% (allowed 2.50000, "
        + "the testbed's sampling noise)", noisy.message());
    // The same check in the common shape of every check.
    assertEquals(new CheckResult("parity mean", "revenue_7d", CheckStatus.FAIL, strict.message(),
        Map.of("testbed", 12.0, "baseline", 10.0, "allowed", 1.0)), strict.result());
    assertEquals(List.of("testbed", "baseline", "allowed"), List.copyOf(strict.result().metrics().keySet()));
    assertEquals(CheckStatus.FAIL, FeatureParity.check("x", Statistic.P50, null, 3.0, tenPercent, 9).status());
    assertEquals(CheckStatus.PASS, FeatureParity.check("x", Statistic.P50, null, null, tenPercent, 0).status());
  }

  @Test
  public void noiseIsZStandardErrorsOverDistinctEntitiesAndThePercentileIntervalHalfWidth() {
    ColumnProfile p = profile("f", 25, 4.0, 2.0, 5.0, 3.5, 7.0);
    assertEquals(4 * 2.0 / 5, p.noise(Statistic.MEAN, 4, 4.0), 1e-12);
    assertEquals(4 * Math.sqrt(0.2 * 0.8 / 25), p.noise(Statistic.MISSING_RATE, 4, 0.2), 1e-12);
    assertEquals(2.0, p.noise(Statistic.P50, 4, 5.0), 1e-12); // max(5 − 3.5, 7 − 5)
    assertEquals(0.0, p.noise(Statistic.MEAN, 0, 4.0), 0);
    assertEquals(0.5 - 4 * Math.sqrt(0.25 / 100), FeatureParity.limit(0.5, -4, 100), 1e-12);
    assertEquals(1.0, FeatureParity.limit(0.9, 4, 10), 0);
  }

  @Test
  public void lastBitNoiseOfTwoSumsShowsAsNoDifference() {
    // The values bin/test's e2e comparison found: the same mean summed over tasks split differently in local mode
    // and on a cluster. 108.014415 and its neighbour 1.4e-14 above differ by ~1.3e-16 of their size: shown as 0.
    double local = 108.014415;
    double cluster = Math.nextUp(Math.nextUp(local));
    Bound tenPercent = new Bound(0.10, 0);
    String expected = "item_price mean: testbed 108.014, baseline 108.014, difference 0 within tolerance ±10.0% (allowed 10.8014)";
    assertEquals(expected, FeatureParity.check("item_price", Statistic.MEAN, cluster, local, tenPercent, 0).message());
    assertEquals(expected, FeatureParity.check("item_price", Statistic.MEAN, local, local, tenPercent, 0).message());
    // A real difference of a millionth is still shown: 108.014523 − 108.014415 = 1.08e-4 (by hand).
    assertEquals("item_price mean: testbed 108.015, baseline 108.014, difference 0.000108000 within tolerance ±10.0% "
        + "(allowed 10.8014)", FeatureParity.check("item_price", Statistic.MEAN, 108.014523, local, tenPercent, 0).message());
  }

  @Test
  public void overridesReplaceOnlyTheBoundsTheySet() {
    ParityTolerance merged = ParityTolerance.DEFAULT.overriddenBy(new ParityTolerance(null, new Bound(0, 1), null, null));
    assertEquals(new Bound(0.10, 0), merged.mean());
    assertEquals(new Bound(0, 1), merged.p50());
    assertEquals(new Bound(0, 0.02), merged.missingRate());
    List<ParityCheck> checks = FeatureParity.compare(Map.of("f", profile("f", 25, 4.0, 2.0, 5.0, 3.5, 7.0)),
        Map.of("f", profile("f", 1000, 4.1, 2.0, 5.0, 4.9, 5.1)), c -> merged, 0);
    assertEquals(4, checks.size());
    checks.forEach(c -> assertEquals(c.message(), CheckStatus.PASS, c.status()));
  }
}
