package io.rehearsal.transforms.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KPI-safe gate verdicts from paired per-user metric values (docs/metrics.md). For every segment × gate:
 * a paired comparison, the harm p-value against the margin, Holm-adjusted (or as declared) across the
 * whole family of segments × gates, and the sample needed for the minimum detectable effect. A check
 * FAILs on evidence of harm beyond the margin (adjusted p &lt; alpha); otherwise it is INCONCLUSIVE when
 * the segment is smaller than the required sample, and PASSes only when it is large enough. Results are
 * data; the caller decides (the CLI exits 3 on FAIL).
 */
public final class GateEvaluation {

  public enum Status { PASS, FAIL, INCONCLUSIVE }

  /** The paired per-user values of one metric in one segment. */
  public record Sample(String segment, String metric, double[] baseline, double[] candidate) {}

  public record Check(String segment, MetricGate gate, PairedComparison comparison, double absoluteMargin,
      double adjustedHarmP, long requiredUsers, Status status, String message) {}

  public record Verdict(Status overall, Map<String, Status> bySegment, List<Check> checks,
      List<Guardrail.Check> guardrails) {

    /** This verdict with the guardrail checks folded into the segments' and the overall status. */
    public Verdict withGuardrails(List<Guardrail.Check> more) {
      Map<String, Status> segments = new LinkedHashMap<>(bySegment);
      more.forEach(g -> segments.merge(g.segment(), g.status(), GateEvaluation::worse));
      List<Guardrail.Check> all = new ArrayList<>(guardrails);
      all.addAll(more);
      return new Verdict(segments.values().stream().reduce(Status.PASS, GateEvaluation::worse), segments, checks, all);
    }
  }

  private GateEvaluation() {}

  public static Verdict evaluate(List<MetricGate> gates, List<Sample> samples, MultipleTesting.Method correction,
      double confidence, long seed, int resamples) {
    Map<String, MetricGate> byMetric = new LinkedHashMap<>();
    gates.forEach(g -> byMetric.put(g.metric(), g));
    List<Sample> gated = samples.stream().filter(s -> byMetric.containsKey(s.metric())).toList();
    List<PairedComparison> comparisons = new ArrayList<>();
    double[] harm = new double[gated.size()];
    for (int i = 0; i < gated.size(); i++) {
      Sample s = gated.get(i);
      MetricGate gate = byMetric.get(s.metric());
      double baselineMean = mean(s.baseline());
      PairedComparison c = PairedComparison.of(s.baseline(), s.candidate(), gate.absoluteMargin(baselineMean),
          confidence, seed, resamples);
      comparisons.add(c);
      harm[i] = c.harmPValue();
    }
    double[] adjusted = MultipleTesting.adjust(harm, correction);
    List<Check> checks = new ArrayList<>();
    Map<String, Status> bySegment = new LinkedHashMap<>();
    for (int i = 0; i < gated.size(); i++) {
      Sample s = gated.get(i);
      MetricGate gate = byMetric.get(s.metric());
      PairedComparison c = comparisons.get(i);
      double effect = gate.effectToDetect(c.margin());
      long required = c.n() < 2 || !(effect > 0) ? Long.MAX_VALUE
          : PairedComparison.requiredSampleSize(Math.max(c.differenceSd(), 1e-12), effect, gate.alpha(), gate.power());
      Status status;
      String message;
      String delta = String.format(Locale.ROOT, "candidate − baseline = %+.6g (%.0f%% CI %+.6g … %+.6g)",
          c.meanDifference(), c.confidence() * 100, c.tLow(), c.tHigh());
      if (!Double.isNaN(adjusted[i]) && adjusted[i] < gate.alpha()) {
        status = Status.FAIL;
        message = String.format(Locale.ROOT, "FAIL %s in segment '%s': %s, worse than the margin −%.6g "
            + "(adjusted p = %.3g < alpha %s)", s.metric(), s.segment(), delta, c.margin(), adjusted[i], gate.alpha());
      } else if (c.n() < required) {
        status = Status.INCONCLUSIVE;
        message = String.format(Locale.ROOT, "INCONCLUSIVE %s in segment '%s': %d users, %s needed to detect %s at "
            + "power %s; %s", s.metric(), s.segment(), c.n(), required == Long.MAX_VALUE ? "more" : String.valueOf(required),
            String.format(Locale.ROOT, "%.3g", effect), gate.power(), delta);
      } else {
        status = Status.PASS;
        message = String.format(Locale.ROOT, "PASS %s in segment '%s': %s, no evidence of harm beyond −%.6g "
            + "(adjusted p = %.3g)", s.metric(), s.segment(), delta, c.margin(), adjusted[i]);
      }
      checks.add(new Check(s.segment(), gate, c, c.margin(), adjusted[i], required, status, message));
      bySegment.merge(s.segment(), status, GateEvaluation::worse);
    }
    Status overall = bySegment.values().stream().reduce(Status.PASS, GateEvaluation::worse);
    return new Verdict(overall, bySegment, checks, List.of());
  }

  /** FAIL beats INCONCLUSIVE beats PASS. */
  static Status worse(Status a, Status b) {
    if (a == Status.FAIL || b == Status.FAIL) {
      return Status.FAIL;
    }
    return a == Status.INCONCLUSIVE || b == Status.INCONCLUSIVE ? Status.INCONCLUSIVE : Status.PASS;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }
}
