package io.rehearsal.transforms.stats;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.stats.GateEvaluation.Sample;
import io.rehearsal.transforms.stats.GateEvaluation.Status;
import io.rehearsal.transforms.stats.MetricGate.Role;
import java.util.List;
import java.util.Random;
import org.junit.Assert;
import org.junit.Test;

/** Gate verdicts on simulated per-user metric values. */
public class GateEvaluationTest {

  private static final MetricGate NDCG = new MetricGate("ndcg@10", Role.PRIMARY, 0.05, true, 0.05, 0.02, 0.8);

  private static double[] metric(Random random, int n, double p) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble() < p ? random.nextDouble() : 0;
    }
    return values;
  }

  private static double[] shifted(Random random, double[] base, double shift) {
    double[] out = new double[base.length];
    for (int i = 0; i < base.length; i++) {
      out[i] = Math.max(0, base[i] + shift + random.nextGaussian() * 0.05);
    }
    return out;
  }

  private static GateEvaluation.Verdict evaluate(Sample... samples) {
    return GateEvaluation.evaluate(List.of(NDCG), List.of(samples), MultipleTesting.Method.HOLM, 0.95, 1L, 0);
  }

  @Test
  public void anIdenticalCandidatePassesWithZeroDeltas() {
    double[] base = metric(new Random(1), 2000, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", base, base.clone()));
    assertEquals(Status.PASS, v.overall());
    GateEvaluation.Check check = v.checks().get(0);
    assertEquals(0.0, check.comparison().meanDifference(), 0);
    Assert.assertTrue(check.message(), check.message().startsWith(
        "PASS ndcg@10 in segment 'loyal': candidate − baseline = +0.00000 (95% CI +0.00000 … +0.00000), no "
        + "evidence of harm"));
  }

  @Test
  public void aDegradedCandidateFailsNamingMetricAndSegment() {
    Random random = new Random(2);
    double[] base = metric(random, 2000, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", base, shifted(random, base, -0.08)));
    assertEquals(Status.FAIL, v.overall());
    Assert.assertTrue(v.checks().get(0).message(),
        v.checks().get(0).message().startsWith("FAIL ndcg@10 in segment 'loyal': candidate − baseline = -0.0"));
  }

  @Test
  public void aSmallSegmentIsInconclusiveNeverPass() {
    Random random = new Random(3);
    double[] base = metric(random, 10, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("tiny", "ndcg@10", base, shifted(random, base, 0.01)));
    assertEquals(Status.INCONCLUSIVE, v.overall());
    Assert.assertTrue(v.checks().get(0).message(),
        v.checks().get(0).message().startsWith("INCONCLUSIVE ndcg@10 in segment 'tiny': 10 users, "));
  }

  @Test
  public void helpingOneSegmentDoesNotHideHarmInAnother() {
    Random random = new Random(4);
    double[] loyal = metric(random, 3000, 0.4);
    double[] fresh = metric(random, 1500, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", loyal, shifted(random, loyal, 0.06)),
        new Sample("first_time", "ndcg@10", fresh, shifted(random, fresh, -0.05)));
    assertEquals(Status.PASS, v.bySegment().get("loyal"));
    assertEquals(Status.FAIL, v.bySegment().get("first_time"));
    assertEquals(Status.FAIL, v.overall());
    double overallDelta = (v.checks().get(0).comparison().meanDifference() * 3000
        + v.checks().get(1).comparison().meanDifference() * 1500) / 4500;
    Assert.assertTrue("better on average: " + overallDelta, overallDelta > 0);
  }

  /**
   * A/A: baseline and candidate are two draws of the same per-user distribution in two segments, gated on
   * three metrics with margin 0 under Holm. Over 1,000 seeds the verdict FAILs in about alpha of them
   * (Holm controls the family-wise rate at alpha; the binomial 99.9% band around 0.05 is about 0.03–0.07).
   */
  @Test
  public void anAaSimulationFailsAtAboutAlphaAcrossSeeds() {
    List<MetricGate> gates = List.of(new MetricGate("ndcg@10", Role.PRIMARY, 0, false, 0.05, 0.02, 0.8),
        new MetricGate("recall@20", Role.SECONDARY, 0, false, 0.05, 0.02, 0.8),
        new MetricGate("revenue@10", Role.SECONDARY, 0, false, 0.05, 2.0, 0.8));
    int seeds = 1000;
    int failed = 0;
    for (int seed = 0; seed < seeds; seed++) {
      Random random = new Random(seed);
      List<Sample> samples = new java.util.ArrayList<>();
      for (String segment : List.of("loyal", "new")) {
        for (MetricGate g : gates) {
          double[] a = metric(random, 400, 0.3);
          double[] b = metric(random, 400, 0.3);
          samples.add(new Sample(segment, g.metric(), a, b));
        }
      }
      if (GateEvaluation.evaluate(gates, samples, MultipleTesting.Method.HOLM, 0.95, seed, 0).overall() == Status.FAIL) {
        failed++;
      }
    }
    double rate = (double) failed / seeds;
    Assert.assertTrue("A/A false-failure rate " + rate, rate > 0.025 && rate < 0.07);
  }
}
