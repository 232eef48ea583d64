package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.MetricGate;
import io.rehearsal.transforms.stats.MultipleTesting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * How the evaluated users are grouped into statistics: per segment, per slice value of a gated metric (Holm within
 * the segment) and pooled. Group sizes and mean differences are counted by hand from the outcomes below; the
 * comparisons themselves are PairedComparison's (tested on its own).
 */
public class PairedOutcomesTest {

  private static final EvaluationSpec SPEC = new EvaluationSpec(List.of("a", "b"), LocalDate.of(2025, 6, 1), 7,
      List.of(10), EvaluationSpec.DEFAULT_RELEVANCE, true, MetricDialect.DEFAULT, 0.95, 20, 7, 10, 1, 0.9, 2, 0.2, 30,
      List.of("country"));
  private static final MetricGate NDCG = new MetricGate("ndcg@10", MetricGate.Role.PRIMARY, 0.02, true, 0.05, null,
      0.8);

  private static PairedOutcomes.Outcome user(String segment, String country, double baseline, double candidate) {
    int metrics = SPEC.metricNames().size();
    double[] b = new double[metrics];
    double[] c = new double[metrics];
    b[0] = baseline; // ndcg@10 is the first metric name
    c[0] = candidate;
    Map<String, String> slices = new HashMap<>();
    slices.put("country", country);
    return new PairedOutcomes.Outcome(segment, b, c, slices, null);
  }

  private static final List<PairedOutcomes.Outcome> OUTCOMES = List.of(
      user("a", "DE", 0.5, 0.7), user("a", "DE", 0.4, 0.4), user("a", "FR", 0.9, 0.6), user("a", "FR", 0.8, 0.6),
      user("b", null, 0.2, 0.3), user("b", "FR", 0.1, 0.1));

  @Test
  public void statisticsPerSegmentPerSliceOfAGatedMetricAndPooled() {
    List<MetricStatistic> stats = PairedOutcomes.statistics(OUTCOMES, SPEC, List.of(NDCG));
    List<String> metrics = SPEC.metricNames();
    assertEquals("ndcg@10", metrics.get(0));
    // a: every metric, then ndcg@10 for DE and FR; b: every metric, then FR (the user without a country is in no
    // slice); then every metric pooled.
    assertEquals(metrics.size() * 3 + 3, stats.size());
    List<String> groups = new ArrayList<>();
    for (MetricStatistic s : stats) {
      if (s.metric().equals("ndcg@10")) {
        groups.add(s.segment() + "/" + s.slice() + "=" + s.sliceValue() + " n" + s.comparison().n());
      }
    }
    assertEquals(List.of("a/all=all n4", "a/country=DE n2", "a/country=FR n2", "b/all=all n2", "b/country=FR n1",
        "(all segments)/all=all n6"), groups);
    MetricStatistic aDe = stats.get(metrics.size());
    MetricStatistic aFr = stats.get(metrics.size() + 1);
    assertEquals(0.1, aDe.comparison().meanDifference(), 1e-12); // (0.2 + 0) / 2
    assertEquals(-0.25, aFr.comparison().meanDifference(), 1e-12); // (−0.3 − 0.2) / 2
    // Holm over the two slices of a: the smaller p times 2, the larger kept at least that (both capped at 1).
    double pDe = aDe.comparison().pValue();
    double pFr = aFr.comparison().pValue();
    double low = Math.min(1, 2 * Math.min(pDe, pFr));
    double high = Math.max(low, Math.min(1, Math.max(pDe, pFr)));
    assertEquals(pDe <= pFr ? low : high, aDe.adjustedP(), 1e-12);
    assertEquals(pDe <= pFr ? high : low, aFr.adjustedP(), 1e-12);
    // The slices differ enough (t = 1 and t = −5 on two users each) that Holm keeps them apart: a swap would show.
    assertTrue(Math.abs(aDe.adjustedP() - aFr.adjustedP()) > 0.1);
    assertNull(stats.get(0).adjustedP()); // a segment's own statistic is not adjusted
    MetricStatistic pooled = stats.get(stats.size() - metrics.size());
    assertEquals(MetricStatistic.POOLED, pooled.segment());
    assertEquals(-0.2 / 6, pooled.comparison().meanDifference(), 1e-12); // (0.2 + 0 − 0.3 − 0.2 + 0.1 + 0) / 6
  }

  @Test
  public void theGateJudgesEachSegmentOnItsOwnUsers() {
    GateEvaluation.Verdict verdict = PairedOutcomes.gate(OUTCOMES, SPEC, List.of(NDCG), MultipleTesting.Method.HOLM);
    assertEquals(2, verdict.checks().size());
    assertEquals("a", verdict.checks().get(0).segment());
    assertEquals(4, verdict.checks().get(0).comparison().n());
    assertEquals(-0.075, verdict.checks().get(0).comparison().meanDifference(), 1e-12); // (0.2 + 0 − 0.3 − 0.2) / 4
    assertEquals("b", verdict.checks().get(1).segment());
    assertEquals(2, verdict.checks().get(1).comparison().n());
  }
}
