package io.rehearsal.transforms.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.stats.GateEvaluation.Sample;
import io.rehearsal.transforms.stats.MetricGate.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.Assert;
import org.junit.Test;

/** Gate verdicts: the decision rule on hand-built samples whose mean and sd are exact. */
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

  /**
   * n (odd) paired differences with mean exactly {@code mean} and sample sd exactly 1: (n − 1)/2 users at
   * mean + 1, as many at mean − 1 and one at mean, so the squared deviations sum to n − 1.
   */
  private static Sample exact(String segment, String metric, int n, double mean) {
    double[] baseline = new double[n];
    double[] candidate = new double[n];
    Arrays.fill(baseline, 5.0);
    for (int i = 0; i < n; i++) {
      double deviation = i == n - 1 ? 0 : (i % 2 == 0 ? 1 : -1);
      candidate[i] = 5.0 + mean + deviation;
    }
    return new Sample(segment, metric, baseline, candidate);
  }

  private static GateEvaluation.Verdict evaluate(List<MetricGate> gates, Sample... samples) {
    return GateEvaluation.evaluate(gates, List.of(samples), MultipleTesting.Method.HOLM, 0.95, 1L, 0);
  }

  private static GateEvaluation.Verdict evaluate(Sample... samples) {
    return evaluate(List.of(NDCG), samples);
  }

  private static MetricGate absolute(String metric, double margin, Double mde) {
    return new MetricGate(metric, Role.PRIMARY, margin, false, 0.05, mde, 0.8);
  }

  @Test
  public void theIssuesWorkedExampleIsInconclusiveNotPass() {
    // sd 1, margin 0.1, MDE 0.1, alpha 0.05, power 0.8: required n = ((1.6449 + 0.8416) · 1 / 0.1)² = 618.3 → 619.
    // At n = 619 a mean difference of −0.12 (worse than the margin): harm p = F_t618(−0.02 · √619) = 0.309, so
    // no FAIL; the one-sided lower bound −0.12 − 1.6473 / √619 = −0.18621 is below −0.1, so no PASS either.
    GateEvaluation.Check c = evaluate(List.of(absolute("revenue@10", 0.1, 0.1)),
        exact("s", "revenue@10", 619, -0.12)).checks().get(0);
    assertEquals(CheckStatus.INCONCLUSIVE, c.status());
    assertEquals(0.309, c.comparison().harmPValue(), 0.0005);
    assertEquals(-0.18621, c.lowerBound(), 0.00001);
    assertEquals(619, c.requiredUsers());
    Assert.assertTrue(c.message(), c.message().contains("not above −margin −0.100000 (non-inferiority p = 0.691); "
        + "619 users, 619 needed for power 0.8"));
    // The same check in the common shape of every check, its numbers in a fixed order.
    CheckResult r = c.result();
    assertEquals(List.of("gate revenue@10 (primary)", "s", CheckStatus.INCONCLUSIVE, c.message()),
        List.of(r.check(), r.scope(), r.status(), r.message()));
    assertEquals(List.of("delta", "lower_bound", "margin", "harm_p_value", "users", "required_users"),
        List.copyOf(r.metrics().keySet()));
    assertEquals(-0.12, r.metrics().get("delta"), 1e-12);
    assertEquals(619.0, r.metrics().get("required_users"), 0);
  }

  @Test
  public void passNeedsTheLowerBoundAboveMinusMarginAndFailNeedsHarmBeyondIt() {
    // n = 401, sd 1: se = 0.049938, t(400; 0.95) = 1.64866, so the lower bound is mean − 0.082330.
    MetricGate gate = absolute("revenue@10", 0.1, null);
    // −0.0823 > −0.1
    assertEquals(CheckStatus.PASS, evaluate(List.of(gate), exact("s", "revenue@10", 401, 0.0)).overall());
    GateEvaluation.Check near = evaluate(List.of(gate), exact("s", "revenue@10", 401, -0.02)).checks().get(0);
    assertEquals(-0.102330, near.lowerBound(), 0.000001); // −0.1023 < −0.1: not shown
    assertEquals(CheckStatus.INCONCLUSIVE, near.status());
    // Harm: the upper bound −0.2 + 0.0823 = −0.1177 < −0.1 (harm p = F_t400((−0.2 + 0.1)/0.049938) = 0.0230).
    GateEvaluation.Check harmed = evaluate(List.of(gate), exact("s", "revenue@10", 401, -0.2)).checks().get(0);
    assertEquals(CheckStatus.FAIL, harmed.status());
    assertEquals(0.0230, harmed.adjustedHarmP(), 0.0005);
    // Worse than zero but within the margin, and the interval inside (−m, 0): PASS, never FAIL.
    GateEvaluation.Check within = evaluate(List.of(absolute("revenue@10", 0.3, null)),
        exact("s", "revenue@10", 401, -0.1)).checks().get(0);
    assertEquals(CheckStatus.PASS, within.status());
  }

  @Test
  public void anIdenticalCandidatePassesThroughTheZeroEventBound() {
    double[] base = metric(new Random(1), 2000, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", base, base.clone()));
    assertEquals(CheckStatus.PASS, v.overall());
    GateEvaluation.Check check = v.checks().get(0);
    assertEquals(0.0, check.comparison().meanDifference(), 0);
    // q = 1 − 0.05^(1/2000) = 0.00149674; R = the largest value of the sample.
    double r = Arrays.stream(base).max().orElseThrow();
    assertEquals(-0.00149674 * r, check.lowerBound(), 1e-8);
    Assert.assertTrue(check.message(), check.message().startsWith(
        "PASS ndcg@10 in segment 'loyal': candidate − baseline = +0.00000 (95% CI +0.00000 … +0.00000, one-sided 95% "
        + "lower bound -0.00149"));
  }

  @Test
  public void zeroSpreadIsJudgedByTheUsersThatCouldDifferUnseen() {
    // Edge case 1. 100 users at 0.5 in both models: q = 1 − 0.05^(1/100) = 0.0295130, bound −q · 0.5 = −0.0147565.
    double[] half = new double[100];
    Arrays.fill(half, 0.5);
    GateEvaluation.Check wide = evaluate(List.of(absolute("ndcg@10", 0.02, null)),
        new Sample("s", "ndcg@10", half, half.clone())).checks().get(0);
    assertEquals(-0.0147565, wide.lowerBound(), 1e-7);
    assertEquals(CheckStatus.PASS, wide.status());
    GateEvaluation.Check narrow = evaluate(List.of(absolute("ndcg@10", 0.01, null)),
        new Sample("s", "ndcg@10", half, half.clone())).checks().get(0);
    assertEquals(CheckStatus.INCONCLUSIVE, narrow.status());
    // Users needed: q · 0.5 < 0.01 ⇔ 0.05^(1/n) > 0.98 ⇔ n > ln 0.05 / ln 0.98 = 148.28, so 149.
    assertEquals(149, narrow.requiredUsers());
    // Both models 0 for every one of 100 users: nothing to compare, never a PASS.
    GateEvaluation.Check zeros = evaluate(List.of(absolute("ndcg@10", 0.02, null)),
        new Sample("s", "ndcg@10", new double[100], new double[100])).checks().get(0);
    assertEquals(CheckStatus.INCONCLUSIVE, zeros.status());
    Assert.assertTrue(zeros.message(), zeros.message().contains("both models have 0 for every one of the 100 users"));
    // Two users, both models 0 for each (or identical lists): far too few to pass anything.
    GateEvaluation.Check two = evaluate(List.of(absolute("ndcg@10", 0.02, null)),
        new Sample("s", "ndcg@10", new double[2], new double[2])).checks().get(0);
    assertEquals(CheckStatus.INCONCLUSIVE, two.status());
    Assert.assertTrue(two.message(), two.message().contains("2 users, fewer than the 30 a paired t-interval needs"));
  }

  @Test
  public void aMetricGatedTwiceIsRefusedRatherThanMerged() {
    // Edge case 2: the guardrail's loose margin must not silently replace the primary's strict one.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluate(
        List.of(absolute("ndcg@10", 0.01, null), new MetricGate("ndcg@10", Role.GUARDRAIL, 0.5, false, 0.05, null, 0.8)),
        exact("s", "ndcg@10", 101, 0)));
    Assert.assertTrue(e.getMessage(), e.getMessage().contains("ndcg@10 is gated twice"));
  }

  @Test
  public void requiredUsersCountEveryGateOfTheSegment() {
    // Edge case 3. sd 1, distance 0.1, alpha 0.05, power 0.8. One gate: (1.64485 + 0.84162)² / 0.01 = 618.3 → 619.
    // Two gates, β/2 = 0.1: (1.64485 + 1.28155)² / 0.01 = 856.4 → 857. Ten gates, β/10 = 0.02: (1.64485 +
    // 2.05375)² / 0.01 = 1368.0 → 1368 (R: ceiling((qnorm(.95) + qnorm(.98))^2 * 100)).
    List<MetricGate> ten = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add(absolute("m" + i, 0.1, null));
      samples.add(exact("s", "m" + i, 101, 0));
    }
    assertEquals(857, evaluate(ten.subList(0, 2), samples.get(0), samples.get(1)).checks().get(0).requiredUsers());
    assertEquals(1368, GateEvaluation.evaluate(ten, samples, MultipleTesting.Method.HOLM, 0.95, 1L, 0).checks().get(0)
        .requiredUsers());
  }

  @Test
  public void aDegradedCandidateFailsNamingMetricAndSegment() {
    Random random = new Random(2);
    double[] base = metric(random, 2000, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", base, shifted(random, base, -0.08)));
    assertEquals(CheckStatus.FAIL, v.overall());
    Assert.assertTrue(v.checks().get(0).message(),
        v.checks().get(0).message().startsWith("FAIL ndcg@10 in segment 'loyal': candidate − baseline = -0.0"));
  }

  @Test
  public void aSmallSegmentIsInconclusiveNeverPass() {
    Random random = new Random(3);
    double[] base = metric(random, 10, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("tiny", "ndcg@10", base, shifted(random, base, 0.01)));
    assertEquals(CheckStatus.INCONCLUSIVE, v.overall());
    Assert.assertTrue(v.checks().get(0).message(),
        v.checks().get(0).message().startsWith("INCONCLUSIVE ndcg@10 in segment 'tiny': 10 users, fewer than the 30"));
  }

  @Test
  public void helpingOneSegmentDoesNotHideHarmInAnother() {
    Random random = new Random(4);
    double[] loyal = metric(random, 3000, 0.4);
    double[] fresh = metric(random, 1500, 0.4);
    GateEvaluation.Verdict v = evaluate(new Sample("loyal", "ndcg@10", loyal, shifted(random, loyal, 0.06)),
        new Sample("first_time", "ndcg@10", fresh, shifted(random, fresh, -0.05)));
    assertEquals(CheckStatus.PASS, v.bySegment().get("loyal"));
    assertEquals(CheckStatus.FAIL, v.bySegment().get("first_time"));
    assertEquals(CheckStatus.FAIL, v.overall());
    double overallDelta = (v.checks().get(0).comparison().meanDifference() * 3000
        + v.checks().get(1).comparison().meanDifference() * 1500) / 4500;
    Assert.assertTrue("better on average: " + overallDelta, overallDelta > 0);
  }
}
