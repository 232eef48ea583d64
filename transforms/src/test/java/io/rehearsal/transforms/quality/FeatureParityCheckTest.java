package io.rehearsal.transforms.quality;

import static org.junit.Assert.assertEquals;

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
    assertEquals(ParityCheck.Status.FAIL, strict.status());
    assertEquals("revenue_7d mean: testbed 12, baseline 10, difference 2 exceeds tolerance ±10.0% (allowed 1)",
        strict.message());
    ParityCheck noisy = FeatureParity.check("revenue_7d", Statistic.MEAN, 12.0, 10.0, tenPercent, 2.5);
    assertEquals(ParityCheck.Status.PASS, noisy.status());
    assertEquals(2.5, noisy.allowed(), 0);
    assertEquals("revenue_7d mean: testbed 12, baseline 10, difference 2 within tolerance ±10.0% (allowed 2.50000, "
        + "the testbed's sampling noise)", noisy.message());
    assertEquals(ParityCheck.Status.FAIL, FeatureParity.check("x", Statistic.P50, null, 3.0, tenPercent, 9).status());
    assertEquals(ParityCheck.Status.PASS, FeatureParity.check("x", Statistic.P50, null, null, tenPercent, 0).status());
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
  public void overridesReplaceOnlyTheBoundsTheySet() {
    ParityTolerance merged = ParityTolerance.DEFAULT.overriddenBy(new ParityTolerance(null, new Bound(0, 1), null, null));
    assertEquals(new Bound(0.10, 0), merged.mean());
    assertEquals(new Bound(0, 1), merged.p50());
    assertEquals(new Bound(0, 0.02), merged.missingRate());
    List<ParityCheck> checks = FeatureParity.compare(Map.of("f", profile("f", 25, 4.0, 2.0, 5.0, 3.5, 7.0)),
        Map.of("f", profile("f", 1000, 4.1, 2.0, 5.0, 4.9, 5.1)), c -> merged, 0);
    assertEquals(4, checks.size());
    checks.forEach(c -> assertEquals(c.message(), ParityCheck.Status.PASS, c.status()));
  }
}
