package io.rehearsal.pipelines.evaluation;

import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.PairedComparison;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The plain-text summary {@code evaluate} prints: scoring, gated metrics, slices, comparisons, gates, verdict. */
public final class EvaluationSummary {

  private EvaluationSummary() {}

  public static String format(EvaluateResult r, String primaryMetric) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nRanking regression of run %s (%.1fs)%n  baseline:  %s%n  candidate: %s%n",
        r.runId(), r.elapsedSeconds(), r.baseline(), r.candidate()));

    sb.append(String.format(Locale.ROOT, "%nScoring%n  %-22s %-9s %-24s %8s %8s %8s %8s %8s %8s%n", "segment", "model",
        "version", "users", "model", "fallback", "no list", "failures", "seconds"));
    for (ModelScoring s : r.scoring()) {
      sb.append(String.format(Locale.ROOT, "  %-22s %-9s %-24s %,8d %,8d %,8d %,8d %,8d %8.1f%n", s.segment(), s.role(),
          s.kind() + " " + s.version(), s.usersScored(), s.usersWithModelList(), s.usersWithFallback(),
          s.usersWithoutList(), s.failures(), s.seconds()));
      if (s.failures() > 0) {
        sb.append("    rejected rows: ").append(s.failureDetail()).append('\n');
      }
    }

    Set<String> gated = new LinkedHashSet<>();
    r.verdict().checks().forEach(c -> gated.add(c.gate().metric()));
    sb.append(String.format(Locale.ROOT, "%nMetrics of the gates: candidate − baseline per user (%.0f%% t-interval; "
        + "paired bootstrap in the metrics table)%n", confidence(r) * 100));
    sb.append(String.format(Locale.ROOT, "  %-22s %-16s %7s %10s %10s %11s %9s %25s %9s%n", "segment", "metric", "users",
        "baseline", "candidate", "difference", "lift", "interval", "p"));
    for (MetricStatistic m : r.statistics()) {
      if (MetricStatistic.ALL.equals(m.slice()) && gated.contains(m.metric())) {
        sb.append(line(m.segment(), m.metric(), m.comparison()));
      }
    }

    sb.append(String.format(Locale.ROOT, "%nSlices of %s (p adjusted by Holm within segment × metric)%n", primaryMetric));
    for (MetricStatistic m : r.statistics()) {
      if (!MetricStatistic.ALL.equals(m.slice()) && m.metric().equals(primaryMetric)) {
        PairedComparison c = m.comparison();
        sb.append(String.format(Locale.ROOT, "  %-22s %-30s %7d %+11.4f [%+.4f, %+.4f] adjusted p %s%n", m.segment(),
            m.slice() + " = " + m.sliceValue(), c.n(), c.meanDifference(), c.tLow(), c.tHigh(),
            m.adjustedP() == null ? "—" : String.format(Locale.ROOT, "%.3g", m.adjustedP())));
      }
    }

    if (!r.comparisons().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nInterleaving (team draft) and shadow comparison at depth %d%n",
          r.comparisons().get(0).depth()));
      sb.append(String.format(Locale.ROOT, "  %-22s %7s %7s %7s %11s %9s %8s %8s %8s %8s %9s%n", "segment", "wins",
          "losses", "ties", "preference", "sign p", "overlap", "jaccard", "RBO", "tau", "score KS"));
      for (SegmentComparison c : r.comparisons()) {
        sb.append(String.format(Locale.ROOT, "  %-22s %,7d %,7d %,7d %11s %9.3g %8s %8s %8s %8s %9s%n",
            c.segment(), c.wins(), c.losses(), c.ties(),
            c.preference() == null ? "—" : String.format(Locale.ROOT, "%.3f", c.preference()), c.signTestP(),
            three(c.overlap()), three(c.jaccard()), three(c.rbo()), three(c.kendallTau()),
            c.scoreKs() == null ? "—" : String.format(Locale.ROOT, "%.3f", c.scoreKs())));
      }
    }

    sb.append(String.format(Locale.ROOT, "%nGates%n"));
    for (GateEvaluation.Check c : r.verdict().checks()) {
      sb.append("  ").append(c.message()).append('\n');
    }
    for (Guardrail.Check g : r.verdict().guardrails()) {
      sb.append("  ").append(g.message()).append('\n');
    }

    Map<String, CheckStatus> bySegment = r.verdict().bySegment();
    sb.append(String.format(Locale.ROOT, "%nVerdict: %s — %s%n", r.verdict().overall(), bySegment.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
    for (MetricStatistic m : r.statistics()) {
      if (MetricStatistic.POOLED.equals(m.segment()) && m.metric().equals(primaryMetric)) {
        PairedComparison c = m.comparison();
        sb.append(String.format(Locale.ROOT, "  on average over all %,d evaluated users: %s %+.4f%s [%+.4f, %+.4f]%n",
            c.n(), m.metric(), c.meanDifference(), c.relativeLift() == null ? ""
                : String.format(Locale.ROOT, " (%+.1f%%)", c.relativeLift() * 100), c.tLow(), c.tHigh()));
      }
    }
    List<String> failing = r.verdict().checks().stream().filter(c -> c.status() == CheckStatus.FAIL)
        .map(c -> c.gate().metric() + " in " + c.segment()).collect(Collectors.toList());
    r.verdict().guardrails().stream().filter(g -> g.status() == CheckStatus.FAIL)
        .forEach(g -> failing.add(g.guardrail().metric() + " in " + g.segment()));
    if (!failing.isEmpty()) {
      sb.append("  failing: ").append(String.join(", ", failing)).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  tables: %s{%s}%n", r.tablesFolder(), String.join(",", r.tableVersions().keySet())));
    return sb.toString();
  }

  private static double confidence(EvaluateResult r) {
    return r.statistics().isEmpty() ? 0.95 : r.statistics().get(0).comparison().confidence();
  }

  private static String line(String segment, String metric, PairedComparison c) {
    return String.format(Locale.ROOT, "  %-22s %-16s %7d %10.4f %10.4f %+11.4f %9s %25s %9.3g%n", segment, metric, c.n(),
        c.baselineMean(), c.candidateMean(), c.meanDifference(),
        c.relativeLift() == null ? "—" : String.format(Locale.ROOT, "%+.1f%%", c.relativeLift() * 100),
        String.format(Locale.ROOT, "[%+.4f, %+.4f]", c.tLow(), c.tHigh()), c.pValue());
  }

  private static String three(Double v) {
    return v == null ? "—" : String.format(Locale.ROOT, "%.3f", v);
  }
}
