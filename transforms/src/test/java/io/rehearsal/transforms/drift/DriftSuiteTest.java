package io.rehearsal.transforms.drift;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

/**
 * Two segments in one run: 'shifted' (x moves up by 50, a category vanishes and one appears, some values
 * go missing) and 'stable' (the same rows in both windows), checked against hand-computed values.
 */
public class DriftSuiteTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private static final StructType SCHEMA = new StructType().add("segment", DataTypes.StringType)
      .add("window", DataTypes.StringType).add("x", DataTypes.IntegerType).add("c", DataTypes.StringType);

  private Dataset<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      rows.add(RowFactory.create("shifted", DriftSuite.REFERENCE, i, i <= 60 ? "a" : "b"));
      rows.add(RowFactory.create("shifted", DriftSuite.CURRENT, i + 50, i <= 50 ? "a" : "c"));
      rows.add(RowFactory.create("stable", DriftSuite.REFERENCE, i, i % 2 == 0 ? "a" : "b"));
      rows.add(RowFactory.create("stable", DriftSuite.CURRENT, i, i % 2 == 0 ? "a" : "b"));
    }
    for (int i = 0; i < 10; i++) {
      rows.add(RowFactory.create("shifted", DriftSuite.CURRENT, null, null));
    }
    return spark().createDataFrame(rows, SCHEMA);
  }

  @Test
  public void numericAndCategoricalDriftPerSegmentInOneRun() {
    DriftSuite.Result result = DriftSuite.run(rows(), "segment", "window", List.of("x"), List.of("c"), Map.of(),
        f -> DriftThresholds.DEFAULT);
    assertEquals(4, result.drifts().size());
    FeatureDrift shiftedC = result.drifts().get(0);
    FeatureDrift shiftedX = result.drifts().get(1);
    FeatureDrift stableC = result.drifts().get(2);
    FeatureDrift stableX = result.drifts().get(3);
    assertEquals("shifted x", shiftedX.segment() + " " + shiftedX.feature());

    // Reference 1..100: the edges are just below its minimum, its deciles 10, 20, …, 90 and its maximum, so
    // 12 bins with 0, 10, …, 10, 0 values. Current 51..150: (50, 60] … (90, 100] hold 10 each and (100, ∞)
    // 50; the five bins from 1 to 50 are empty.
    assertEquals(List.of(Math.nextDown(1.0), 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0),
        shiftedX.edges());
    // PSI by hand (docs/drift.md: Σ (c − r) · ln(c / r) over proportions smoothed to (p + ε) / (1 + B·ε),
    // ε = 1e-4, B = 12 bins, so n = 1.0012). Five bins go 0.1 → 0 (r = 0.1001/n, c = 0.0001/n), five bins
    // hold 0.1 on both sides (contribute 0), the top bin goes 0 → 0.5 (r = 0.0001/n, c = 0.5001/n), the
    // bottom bin is empty on both sides:
    //   5 · (0.1/n) · ln(0.1001/0.0001) = 5 · 0.1/1.0012 · ln 1001 = 5 · 0.0998801 · 6.9087548 = 3.4502371
    // + (0.5/n) · ln(0.5001/0.0001)     = 0.5/1.0012 · ln 5001     = 0.4994007 · 8.5173932     = 4.2535923
    // = 7.7038294 (7.70382938011093 to double precision, the same sum evaluated in Python).
    double e = DriftStatistics.EPSILON;
    double n = 1 + 12 * e;
    double psi = 5 * (e / n - (0.1 + e) / n) * Math.log(e / (0.1 + e))
        + ((0.5 + e) / n - e / n) * Math.log((0.5 + e) / e);
    assertEquals(psi, shiftedX.psi(), 1e-9);
    assertEquals(7.70382938011093, shiftedX.psi(), 1e-9);
    assertEquals(FeatureDrift.Kind.NUMERIC, shiftedX.kind());
    assertEquals(DriftThresholds.Level.ALERT, shiftedX.level());
    // Severity (docs/drift.md: the largest effect over its alert threshold) by hand from the effects above:
    // PSI 7.70382938011093 / 0.25 = 30.81531752044372; W1/sd 50 / 29.0114919758820 = 1.7234550 / 0.3 =
    // 5.74485; missing rate change 10/110 = 0.0909091 / 0.10 = 0.909091. The largest is PSI's.
    assertEquals(30.81531752044372, shiftedX.severity(), 1e-9);
    // The sketches are exact on 100 values: every quantile moves by 50, so W1 (over the 1st … 99th
    // percentiles) = 50, over sd(1..100).
    assertEquals(50 / 29.011491975882016, shiftedX.wasserstein(), 1e-9);
    // Exact KS is 0.5; on 101-point sketches (1, 1, 2, …, 100) it is 51/101.
    assertEquals(51.0 / 101, shiftedX.ks(), 1e-12);
    assertEquals(50.5, shiftedX.referenceMean(), 1e-12);
    assertEquals(100.5, shiftedX.currentMean(), 1e-12);
    assertEquals(50.0, shiftedX.referenceP50(), 0);
    assertEquals(100.0, shiftedX.currentP50(), 0);
    assertEquals(0.0, shiftedX.referenceMissingRate(), 0);
    assertEquals(10.0 / 110, shiftedX.currentMissingRate(), 1e-12);
    assertEquals(100, shiftedX.referenceRows());
    assertEquals(110, shiftedX.currentRows());

    // Categories: a 60 / b 40 against a 50 / c 50 (and 10 missing).
    assertEquals(List.of("c"), shiftedC.appeared());
    assertEquals(List.of("b"), shiftedC.vanished());
    assertEquals(0.5, shiftedC.lInfinity(), 1e-12);
    assertEquals(0.6732632350631319, shiftedC.jensenShannon(), 1e-12);
    assertEquals(10.0 / 110, shiftedC.currentMissingRate(), 1e-12);
    assertEquals(DriftThresholds.Level.ALERT, shiftedC.level());
    // PSI by hand over the present values' proportions a 0.6 / b 0.4 / c 0 against a 0.5 / b 0 / c 0.5,
    // smoothed with ε = 1e-4 over B = 3 categories (n = 1.0003):
    //   a: (0.5001 − 0.6001)/n · ln(0.5001/0.6001) = 0.1/1.0003 · 0.1822882 = 0.0182234
    //   b: (0.0001 − 0.4001)/n · ln(0.0001/0.4001) = 0.4/1.0003 · ln 4001    = 3.3167248
    //   c: (0.5001 − 0.0001)/n · ln(0.5001/0.0001) = 0.5/1.0003 · ln 5001    = 4.2574194
    //   PSI = 7.5923675 (7.592367541946823 in double precision, the same three terms summed in Python).
    assertEquals(7.592367541946823, shiftedC.psi(), 1e-9);
    // Severity: PSI 7.592367541946823 / 0.25 = 30.36947016778729 beats the missing rate's 0.0909091 / 0.10
    // (categorical features have no W1).
    assertEquals(30.36947016778729, shiftedC.severity(), 1e-9);
    Assert.assertTrue(shiftedC.reason(), shiftedC.reason().endsWith("; appeared [c]; vanished [b]"));
    Assert.assertNull(shiftedC.ks());

    // A/A: nothing moves.
    for (FeatureDrift d : List.of(stableC, stableX)) {
      assertEquals(d.feature(), 0, d.psi(), 1e-12);
      assertEquals(d.feature(), 0, d.jensenShannon(), 1e-12);
      assertEquals(d.feature(), DriftThresholds.Level.OK, d.level());
      // Identical windows: every effect is 0, so the severity is exactly 0.
      assertEquals(d.feature(), 0, d.severity(), 1e-12);
    }
    assertEquals(0, stableX.ks(), 0);
    assertEquals(0, stableX.wasserstein(), 0);
  }

  @Test
  public void storedEdgesAreReused() {
    double[] stored = {75, 125};
    DriftSuite.Result result = DriftSuite.run(rows(), "segment", "window", List.of("x"), List.of(),
        Map.of(DriftSuite.key("shifted", "x"), stored), f -> new DriftThresholds(0.2, 5, 10, 20, 0.5, 0.6));
    FeatureDrift x = result.drifts().get(0);
    assertEquals(List.of(75.0, 125.0), x.edges());
    // Reference 75 / 25 / 0 against current 25 / 50 / 25.
    double e = DriftStatistics.EPSILON;
    double n = 1 + 3 * e;
    double[] r = {(0.75 + e) / n, (0.25 + e) / n, e / n};
    double[] c = {(0.25 + e) / n, (0.5 + e) / n, (0.25 + e) / n};
    double psi = 0;
    for (int i = 0; i < 3; i++) {
      psi += (c[i] - r[i]) * Math.log(c[i] / r[i]);
    }
    assertEquals(psi, x.psi(), 1e-9);
    // The same by hand (n = 1 + 3ε = 1.0003):
    //   (0.2501 − 0.7501)/n · ln(0.2501/0.7501) = 0.5/1.0003 · 1.0983457  = 0.5490081
    //   (0.5001 − 0.2501)/n · ln(0.5001/0.2501) = 0.25/1.0003 · 0.6929472 = 0.1731849
    //   (0.2501 − 0.0001)/n · ln(0.2501/0.0001) = 0.25/1.0003 · ln 2501   = 1.9555248
    //   PSI = 2.6777178 (2.677717824053518 in double precision, summed in Python).
    assertEquals(2.677717824053518, x.psi(), 1e-9);
    // The per-feature thresholds decide: PSI ≈ 2.7 is below the alert at 5 but over the warning at 0.2
    // (W1/sd ≈ 1.7 stays under its 10).
    assertEquals(DriftThresholds.Level.WARN, x.level());
    // Severity against these thresholds: PSI 2.677717824053518 / 5 = 0.5355435648107036; W1/sd 1.7234550 / 20
    // = 0.0861728; missing rate change 0.0909091 / 0.6 = 0.1515152. Below 1, as a warning must be.
    assertEquals(0.5355435648107036, x.severity(), 1e-9);
    // The stable segment had no stored edges: its own deciles.
    assertEquals(11, result.edges().get(DriftSuite.key("stable", "x")).length);
  }

  @Test
  public void aSmallCategoricalShiftWarnsWithTheHandComputedPsiAndSeverity() {
    // Reference a 50 / b 50, current a 70 / b 30, nothing missing, one segment.
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create("s", DriftSuite.REFERENCE, i, i < 50 ? "a" : "b"));
      rows.add(RowFactory.create("s", DriftSuite.CURRENT, i, i < 70 ? "a" : "b"));
    }
    DriftSuite.Result result = DriftSuite.run(spark().createDataFrame(rows, SCHEMA), "segment", "window", List.of(),
        List.of("c"), Map.of(), f -> DriftThresholds.DEFAULT);
    assertEquals(1, result.drifts().size());
    FeatureDrift c = result.drifts().get(0);
    // PSI by hand, smoothed with ε = 1e-4 over B = 2 categories (n = 1.0002):
    //   a: (0.7001 − 0.5001)/n · ln(0.7001/0.5001) = 0.2/1.0002 · 0.3364151 = 0.0672695
    //   b: (0.3001 − 0.5001)/n · ln(0.3001/0.5001) = 0.2/1.0002 · 0.5106923 = 0.1021180
    //   PSI = 0.1693876 (0.16938760838568898 in double precision, the same two terms in Python).
    assertEquals(0.16938760838568898, c.psi(), 1e-9);
    // Between the default warning 0.1 and alert 0.25: a warning, with severity 0.16938760838568898 / 0.25 =
    // 0.6775504335427559 (the missing rate does not change: 0).
    assertEquals(DriftThresholds.Level.WARN, c.level());
    assertEquals(0.6775504335427559, c.severity(), 1e-9);
    assertEquals(List.of(), c.appeared());
    assertEquals(List.of(), c.vanished());
    // L∞ = |0.7 − 0.5| = 0.2 (unsmoothed proportions).
    assertEquals(0.2, c.lInfinity(), 1e-12);
  }

  @Test
  public void thresholdsAreValidatedWithTheValues() {
    IllegalArgumentException e = Assert.assertThrows(IllegalArgumentException.class,
        () -> new DriftThresholds(0.3, 0.2, 0.15, 0.3, 0.05, 0.1));
    assertEquals("psi alert threshold must be ≥ its warn threshold 0.3, got 0.2", e.getMessage());
    DriftThresholds t = DriftThresholds.DEFAULT;
    assertEquals(DriftThresholds.Level.OK, t.level(0.09, 0.14, 0.049));
    assertEquals(DriftThresholds.Level.WARN, t.level(0.09, 0.15, 0.0));
    assertEquals(DriftThresholds.Level.WARN, t.level(0.0, null, -0.05));
    assertEquals(DriftThresholds.Level.ALERT, t.level(0.25, 0.0, 0.0));
    assertEquals(DriftThresholds.Level.ALERT, t.level(0.0, 0.3, 0.0));
    assertEquals(DriftThresholds.Level.ALERT, t.level(0.0, null, 0.1));
  }

  /**
   * Review edge cases 6 and 11. A segment with rows only in the reference (no current rows) and one with
   * rows only in the current window: before, the empty side counted as uniform (PSI 1.15 on a 12-bin
   * feature, an alert) or as 0; now both are NOT_COMPARABLE with the empty side named, severity 0. And ±∞
   * values count as missing (sd and W1 stay finite): 'inf' has 1, 2, …, 10 in the reference and the same
   * with two values made +∞ and −∞ in the current window, so its current missing rate is 2/10 and its mean
   * that of 1, 4, 5, …, 10 = 50/8 = 6.25.
   */
  @Test
  public void anEmptyWindowIsNotComparableAndInfiniteValuesCountAsMissing() {
    StructType schema = new StructType().add("segment", DataTypes.StringType).add("window", DataTypes.StringType)
        .add("x", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(RowFactory.create("gone", DriftSuite.REFERENCE, (double) i));
      rows.add(RowFactory.create("new", DriftSuite.CURRENT, (double) i));
      rows.add(RowFactory.create("inf", DriftSuite.REFERENCE, (double) i));
      rows.add(RowFactory.create("inf", DriftSuite.CURRENT, i == 2 ? Double.POSITIVE_INFINITY
          : i == 3 ? Double.NEGATIVE_INFINITY : (double) i));
    }
    DriftSuite.Result result = DriftSuite.run(spark().createDataFrame(rows, schema), "segment", "window", List.of("x"),
        List.of(), Map.of(), f -> DriftThresholds.DEFAULT);
    FeatureDrift gone = result.drifts().get(0);
    FeatureDrift inf = result.drifts().get(1);
    FeatureDrift fresh = result.drifts().get(2);
    assertEquals("gone inf new", gone.segment() + " " + inf.segment() + " " + fresh.segment());
    assertEquals(DriftThresholds.Level.NOT_COMPARABLE, gone.level());
    assertEquals("NOT_COMPARABLE: the current window has no rows (10 reference rows)", gone.reason());
    assertEquals(0.0, gone.severity(), 0);
    assertEquals(DriftThresholds.Level.NOT_COMPARABLE, fresh.level());
    assertEquals("NOT_COMPARABLE: the reference window has no rows (10 current rows)", fresh.reason());
    assertEquals(0.2, inf.currentMissingRate(), 1e-12);
    assertEquals(6.25, inf.currentMean(), 1e-12);
    Assert.assertTrue("W1 " + inf.wasserstein(), Double.isFinite(inf.wasserstein()));
    Assert.assertTrue(inf.level().flagged()); // a 20% rise of the missing rate is an alert (threshold 0.10)
    // A statistic that is undefined never reads as OK.
    assertEquals(DriftThresholds.Level.NOT_COMPARABLE, DriftThresholds.DEFAULT.level(Double.NaN, 0.1, 0));
    assertEquals(DriftThresholds.Level.NOT_COMPARABLE, DriftThresholds.DEFAULT.level(0.01, Double.NaN, 0));
  }
}
