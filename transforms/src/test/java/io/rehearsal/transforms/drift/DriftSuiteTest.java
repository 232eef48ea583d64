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
    double e = DriftStatistics.EPSILON;
    double n = 1 + 12 * e;
    double psi = 5 * (e / n - (0.1 + e) / n) * Math.log(e / (0.1 + e))
        + ((0.5 + e) / n - e / n) * Math.log((0.5 + e) / e);
    assertEquals(psi, shiftedX.psi(), 1e-9);
    assertEquals(7.70382938011093, shiftedX.psi(), 1e-9);
    assertEquals(FeatureDrift.Kind.NUMERIC, shiftedX.kind());
    assertEquals(DriftThresholds.Level.ALERT, shiftedX.level());
    assertEquals(shiftedX.psi() / 0.25, shiftedX.severity(), 1e-12);
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
    Assert.assertTrue(shiftedC.reason(), shiftedC.reason().endsWith("; appeared [c]; vanished [b]"));
    Assert.assertNull(shiftedC.ks());

    // A/A: nothing moves.
    for (FeatureDrift d : List.of(stableC, stableX)) {
      assertEquals(d.feature(), 0, d.psi(), 1e-12);
      assertEquals(d.feature(), 0, d.jensenShannon(), 1e-12);
      assertEquals(d.feature(), DriftThresholds.Level.OK, d.level());
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
    // The per-feature thresholds decide: PSI ≈ 2.7 is below the alert at 5 but over the warning at 0.2
    // (W1/sd ≈ 1.7 stays under its 10).
    assertEquals(DriftThresholds.Level.WARN, x.level());
    // The stable segment had no stored edges: its own deciles.
    assertEquals(11, result.edges().get(DriftSuite.key("stable", "x")).length);
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
}
