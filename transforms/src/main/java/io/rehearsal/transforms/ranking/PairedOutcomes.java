package io.rehearsal.transforms.ranking;

import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.MetricGate;
import io.rehearsal.transforms.stats.MultipleTesting;
import io.rehearsal.transforms.stats.PairedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluated users' metric values under both models (in the order of {@link EvaluationSpec#metricNames()}),
 * and the statistics over them: the paired comparisons per segment, slice and pooled, and the gates' verdict.
 * Pure Java on the driver: the per-user values were collected in user order, so the bootstrap is reproducible.
 */
public final class PairedOutcomes {

  /** One user's outcome: both models' metric values, the user's slice values and the interleaving outcome. */
  public record Outcome(String segment, double[] baseline, double[] candidate, Map<String, String> slices,
      String interleaving) {}

  private PairedOutcomes() {}

  /** The gates' verdict: each paired gate on each segment's users (guardrails are added by the caller). */
  public static GateEvaluation.Verdict gate(List<Outcome> outcomes, EvaluationSpec spec, List<MetricGate> gates,
      MultipleTesting.Method correction) {
    List<String> metricNames = spec.metricNames();
    List<GateEvaluation.Sample> samples = new ArrayList<>();
    for (String segment : spec.segments()) {
      List<Outcome> of = outcomes.stream().filter(o -> o.segment().equals(segment)).toList();
      for (MetricGate g : gates) {
        int i = metricNames.indexOf(g.metric());
        samples.add(new GateEvaluation.Sample(segment, g.metric(), column(of, i, true), column(of, i, false)));
      }
    }
    return GateEvaluation.evaluate(gates, samples, correction, spec.confidence(), spec.bootstrapSeed(),
        spec.resamples());
  }

  /**
   * For each segment every metric, then each gated metric per slice value (p-values Holm-adjusted within
   * segment × metric); then every metric pooled over the segments.
   */
  public static List<MetricStatistic> statistics(List<Outcome> outcomes, EvaluationSpec spec, List<MetricGate> gates) {
    List<String> metricNames = spec.metricNames();
    List<MetricStatistic> out = new ArrayList<>();
    List<String> gated = gates.stream().map(MetricGate::metric).distinct().toList();
    for (String segment : spec.segments()) {
      List<Outcome> of = outcomes.stream().filter(o -> o.segment().equals(segment)).toList();
      for (int i = 0; i < metricNames.size(); i++) {
        out.add(new MetricStatistic(segment, MetricStatistic.ALL, MetricStatistic.ALL, metricNames.get(i),
            compare(of, i, spec), null));
      }
      for (String metric : gated) {
        int i = metricNames.indexOf(metric);
        List<MetricStatistic> family = new ArrayList<>();
        for (String slice : spec.slices()) {
          Map<String, List<Outcome>> groups = new TreeMap<>();
          of.stream().filter(o -> o.slices().get(slice) != null)
              .forEach(o -> groups.computeIfAbsent(o.slices().get(slice), v -> new ArrayList<>()).add(o));
          groups.forEach((value, group) -> family.add(new MetricStatistic(segment, slice, value, metric,
              compare(group, i, spec), null)));
        }
        double[] p = family.stream().mapToDouble(m -> m.comparison().pValue()).toArray();
        double[] adjusted = MultipleTesting.adjust(p, MultipleTesting.Method.HOLM);
        for (int j = 0; j < family.size(); j++) {
          MetricStatistic m = family.get(j);
          out.add(new MetricStatistic(m.segment(), m.slice(), m.sliceValue(), m.metric(), m.comparison(),
              Double.isNaN(adjusted[j]) ? null : adjusted[j]));
        }
      }
    }
    for (int i = 0; i < metricNames.size(); i++) {
      out.add(new MetricStatistic(MetricStatistic.POOLED, MetricStatistic.ALL, MetricStatistic.ALL, metricNames.get(i),
          compare(outcomes, i, spec), null));
    }
    return out;
  }

  private static PairedComparison compare(List<Outcome> group, int metric, EvaluationSpec spec) {
    return PairedComparison.of(column(group, metric, true), column(group, metric, false), 0, spec.confidence(),
        spec.bootstrapSeed(), spec.resamples());
  }

  private static double[] column(List<Outcome> group, int metric, boolean baseline) {
    return group.stream().mapToDouble(o -> (baseline ? o.baseline() : o.candidate())[metric]).toArray();
  }

  /** A list of numbers (e.g. a collected array column) as doubles. */
  public static double[] doubles(List<Object> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }
}
