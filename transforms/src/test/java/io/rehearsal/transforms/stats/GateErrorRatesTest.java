package io.rehearsal.transforms.stats;

import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.stats.GateEvaluation.Sample;
import io.rehearsal.transforms.stats.MetricGate.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Assert;
import org.junit.Test;

/**
 * The gates' error rates, measured by simulation (docs/metrics.md, "Gates"): {@value #EXPERIMENTS} simulated
 * experiments per scenario, each rate judged against the 99% binomial band around its promise,
 * 2.576 · sqrt(p (1 − p) / {@value #EXPERIMENTS}): ±0.0089 around 0.05, ±0.0163 around 0.8. The seeds are
 * fixed, so a run is reproducible; a decision rule that breaks a promise moves the rate far outside the band.
 */
public class GateErrorRatesTest {

  private static final int EXPERIMENTS = 4000;
  private static final double ALPHA = 0.05;
  private static final double ALPHA_BAND = 2.576 * Math.sqrt(ALPHA * (1 - ALPHA) / EXPERIMENTS);

  private static double band(double p) {
    return 2.576 * Math.sqrt(p * (1 - p) / EXPERIMENTS);
  }

  private static GateEvaluation.Verdict evaluate(List<MetricGate> gates, List<Sample> samples) {
    return GateEvaluation.evaluate(gates, samples, MultipleTesting.Method.HOLM, 0.95, 1L, 0);
  }

  /** n users: a baseline value and a candidate value = baseline + Normal(difference, sd). */
  private static Sample normal(Random random, String segment, String metric, int n, double difference, double sd) {
    double[] baseline = new double[n];
    double[] candidate = new double[n];
    for (int i = 0; i < n; i++) {
      baseline[i] = 10 + random.nextGaussian();
      candidate[i] = baseline[i] + difference + sd * random.nextGaussian();
    }
    return new Sample(segment, metric, baseline, candidate);
  }

  @Test
  public void aCandidateExactlyAtTheMarginPassesAtMostAlphaOfTheTime() {
    MetricGate gate = new MetricGate("ndcg@10", Role.PRIMARY, 0.1, false, ALPHA, null, 0.8);
    Random random = new Random(16);
    int passed = 0;
    for (int e = 0; e < EXPERIMENTS; e++) {
      CheckStatus status = evaluate(List.of(gate), List.of(normal(random, "s", "ndcg@10", 200, -0.1, 1))).overall();
      if (status == CheckStatus.PASS) {
        passed++;
      }
    }
    double rate = (double) passed / EXPERIMENTS;
    System.out.printf("gate error rates: PASS at the margin %.4f%n", rate);
    // At the boundary the t-test is exact for normal differences: about alpha, never more than the band allows.
    Assert.assertTrue("PASS rate at δ = −margin: " + rate, rate <= ALPHA + ALPHA_BAND);
    Assert.assertTrue("PASS rate at δ = −margin far below alpha (a needlessly strict rule): " + rate,
        rate >= ALPHA - ALPHA_BAND);
  }

  /**
   * A/A on manifests/demo.yaml's gates and segments: ndcg@10 (relative margin 0.02, mde 0.01), recall@20
   * (0.05, 0.02) and revenue@10 (0.05, 5) in loyalty_members (3,956 evaluated users in the demo run) and
   * first_time_buyers (1,544). Per-user values are drawn like the demo's (many users at 0), candidate and
   * baseline independently from the same distribution: no gate is truly harmed.
   */
  @Test
  public void anAaRunOfTheDemoGatesFailsAtMostAlphaOfTheTime() {
    List<MetricGate> demo = List.of(new MetricGate("ndcg@10", Role.PRIMARY, 0.02, true, ALPHA, 0.01, 0.8),
        new MetricGate("recall@20", Role.SECONDARY, 0.05, true, ALPHA, 0.02, 0.8),
        new MetricGate("revenue@10", Role.SECONDARY, 0.05, true, ALPHA, 5.0, 0.8));
    // The same with margin 0, where every harm test sits at its boundary: the sharper check of the adjustment
    // (without Holm, six tests at 0.05 would fail about 26% of the A/A runs).
    List<MetricGate> strict = demo.stream().map(g -> new MetricGate(g.metric(), g.role(), 0, false, ALPHA,
        g.minimumDetectableEffect(), g.power())).toList();
    // Both rule sets judge the same simulated experiments (drawn once: the draws are most of the test's time).
    Random random = new Random(17);
    int[] failed = new int[2];
    for (int e = 0; e < EXPERIMENTS; e++) {
      List<Sample> samples = new ArrayList<>();
      for (Object[] segment : new Object[][] {{"loyalty_members", 3956}, {"first_time_buyers", 1544}}) {
        int n = (Integer) segment[1];
        samples.add(aa(random, (String) segment[0], "ndcg@10", n, 0.3, 1.0));
        samples.add(aa(random, (String) segment[0], "recall@20", n, 0.35, 1.0));
        samples.add(aa(random, (String) segment[0], "revenue@10", n, 0.2, 60.0));
      }
      List<List<MetricGate>> rules = List.of(demo, strict);
      for (int r = 0; r < rules.size(); r++) {
        if (evaluate(rules.get(r), samples).overall() == CheckStatus.FAIL) {
          failed[r]++;
        }
      }
    }
    String[] names = {"demo margins", "margin 0"};
    for (int r = 0; r < 2; r++) {
      double rate = (double) failed[r] / EXPERIMENTS;
      System.out.printf("gate error rates: A/A with a FAIL (%s) %.4f%n", names[r], rate);
      Assert.assertTrue("A/A runs with a FAIL (" + names[r] + "): " + rate, rate <= ALPHA + ALPHA_BAND);
    }
  }

  /** A/A values: with probability {@code hit} a uniform value in (0, scale), else 0; both sides independent. */
  private static Sample aa(Random random, String segment, String metric, int n, double hit, double scale) {
    double[] baseline = new double[n];
    double[] candidate = new double[n];
    for (int i = 0; i < n; i++) {
      baseline[i] = random.nextDouble() < hit ? random.nextDouble() * scale : 0;
      candidate[i] = random.nextDouble() < hit ? random.nextDouble() * scale : 0;
    }
    return new Sample(segment, metric, baseline, candidate);
  }

  /**
   * A segment of three gates (margin 0.1; the second pair with mde 0.15, so the true difference assumed is
   * −0.1 + 0.15 = +0.05), sd 1, at the users the rule requires: ((z₀.₉₅ + z₁₋₀.₂/₃) / 0.1)² = (1.64485 +
   * 1.50109)² / 0.01 = 989.7 → 990, and (… / 0.15)² = 439.9 → 440 (computed by hand, R:
   * ceiling(((qnorm(.95) + qnorm(1 - .2/3)) / .1)^2)). The segment must PASS in at least 80% of experiments.
   */
  @Test
  public void aSegmentAtItsRequiredSizePassesWithTheDeclaredPower() {
    for (Object[] plan : new Object[][] {{null, 0.0, 990}, {0.15, 0.05, 440}}) {
      Double mde = (Double) plan[0];
      double trueDifference = (Double) plan[1];
      int n = (Integer) plan[2];
      List<MetricGate> gates = List.of(new MetricGate("a", Role.PRIMARY, 0.1, false, ALPHA, mde, 0.8),
          new MetricGate("b", Role.SECONDARY, 0.1, false, ALPHA, mde, 0.8),
          new MetricGate("c", Role.SECONDARY, 0.1, false, ALPHA, mde, 0.8));
      Random random = new Random(18);
      int passed = 0;
      double required = 0;
      for (int e = 0; e < EXPERIMENTS; e++) {
        List<Sample> samples = List.of(normal(random, "s", "a", n, trueDifference, 1),
            normal(random, "s", "b", n, trueDifference, 1), normal(random, "s", "c", n, trueDifference, 1));
        GateEvaluation.Verdict v = evaluate(gates, samples);
        required += (double) v.checks().get(0).requiredUsers() / EXPERIMENTS;
        if (v.overall() == CheckStatus.PASS) {
          passed++;
        }
      }
      double rate = (double) passed / EXPERIMENTS;
      System.out.printf("gate error rates: segment PASS at %d users (mde %s) %.4f, mean required %.1f%n", n, mde, rate,
          required);
      Assert.assertTrue("segment PASS rate at the required size " + n + " (mde " + mde + "): " + rate,
          rate >= 0.8 - band(0.8));
      // The rule's own required size, from each experiment's sample sd, averages to the planned one (its
      // spread is about ±4.5%: the sd of a sample variance of n normal values is sqrt(2/n) of it).
      Assert.assertTrue("mean required users " + required + " vs " + n, Math.abs(required - n) <= n * 0.02);
    }
  }
}
